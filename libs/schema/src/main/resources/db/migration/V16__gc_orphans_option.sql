-- Listing the whole store for orphans is asked for, not done by every run (docs/adr/0028).
ALTER TABLE gc_runs ADD COLUMN orphans boolean NOT NULL DEFAULT false;
ALTER TABLE gc_schedule ADD COLUMN orphans boolean NOT NULL DEFAULT false;
