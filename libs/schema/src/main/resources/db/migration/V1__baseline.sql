-- berth's shared PostgreSQL schema: one Flyway history for every service.
--
-- Rules (docs/adr/0005-one-schema-one-history.md):
--  * every table is written by exactly one service, named in a COMMENT ON TABLE 'owner: <service>';
--    other services may read it;
--  * migrations only add: a column or table that must go is first left unused for a release;
--  * services run these migrations at start; Flyway's lock makes concurrent starts safe.
--
-- This first version only marks the baseline. Each service's tables arrive with its issue.
COMMENT ON SCHEMA public IS 'berth shared schema; table owners are recorded in table comments';
