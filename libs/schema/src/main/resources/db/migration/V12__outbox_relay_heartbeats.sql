-- Outbox relays in every service that writes outbox rows (issue #20, docs/adr/0017-outbox-relay.md).
--
-- Each running relay keeps a row here: which PostgreSQL session holds its slot locks, and when
-- it last said it was alive. A relay counts the live ones (a recent heartbeat and a session that
-- still exists) and holds at most ceil(16 / live) slots, so the slots spread over the relays.
-- A relay whose heartbeat is older than the staleness bound is treated as dead: another relay
-- ends its session with pg_terminate_backend, which frees its advisory locks. Every relay writes
-- this table (auth, registry-api, and later gc, replicator, scanner-bridge); a relay writes only
-- its own row, and deletes the rows of relays it found dead.
CREATE TABLE outbox_relays (
    relay_id      uuid PRIMARY KEY,
    -- The service that runs it, e.g. berth-auth (for operators; the relays do not use it).
    service       text NOT NULL,
    -- The session holding its slot locks: pid and start together name it, as pids are reused.
    backend_pid   integer NOT NULL,
    backend_start timestamptz NOT NULL,
    heartbeat_at  timestamptz NOT NULL DEFAULT now(),
    -- The slots it held at its last heartbeat, for operators.
    slots         smallint[] NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE outbox_relays IS 'owner: the outbox relay (libs/events) of every service that runs one; each writes its own row';
