-- What a scan skipped and why (issue #22, docs/adr/0034): a package database that does not parse,
-- a file over its cap, a non-distributable layer the registry does not hold. The report is still
-- a success; these say where it may be incomplete. A JSON array of strings, bounded by the
-- inventory's limits (100, then a count of the rest).
ALTER TABLE scan_reports ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]';
