-- gc's own tables (docs/adr/0027-online-garbage-collection-protocol.md, docs/adr/0028-gc-service.md).

-- One garbage collection run: what asked for it, how it went, what it freed.
CREATE TABLE gc_runs (
    id                bigserial   PRIMARY KEY,
    trigger           text        NOT NULL CHECK (trigger IN ('manual', 'schedule', 'event')),
    status            text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'stopped')),
    dry_run           boolean     NOT NULL,
    delete_untagged   boolean     NOT NULL,
    grace_seconds     bigint      NOT NULL CHECK (grace_seconds >= 0),
    requested_by      text,
    started_at        timestamptz NOT NULL DEFAULT now(),
    ended_at          timestamptz,
    -- The replica running it says it is alive; a run whose heartbeat stops is failed by the next.
    heartbeat_at      timestamptz NOT NULL DEFAULT now(),
    stop_requested    boolean     NOT NULL DEFAULT false,
    manifests_deleted bigint      NOT NULL DEFAULT 0,
    links_deleted     bigint      NOT NULL DEFAULT 0,
    blobs_deleted     bigint      NOT NULL DEFAULT 0,
    objects_deleted   bigint      NOT NULL DEFAULT 0,
    uploads_purged    bigint      NOT NULL DEFAULT 0,
    bytes_freed       bigint      NOT NULL DEFAULT 0,
    error             text
);
-- One run at a time, whichever replica starts it: a second insert while one runs fails.
CREATE UNIQUE INDEX gc_runs_one_running ON gc_runs ((true)) WHERE status = 'running';
CREATE INDEX gc_runs_started ON gc_runs (started_at DESC);
COMMENT ON TABLE gc_runs IS 'owner: gc';

-- What a run did, line by line, for GET /api/v1/system/gc/{id}/log.
CREATE TABLE gc_run_log (
    run_id  bigint      NOT NULL REFERENCES gc_runs (id) ON DELETE CASCADE,
    seq     integer     NOT NULL,
    at      timestamptz NOT NULL DEFAULT now(),
    line    text        NOT NULL,
    PRIMARY KEY (run_id, seq)
);
COMMENT ON TABLE gc_run_log IS 'owner: gc';

-- Since when something has been unreferenced (the grace window counts from here).
-- kind 'link': repository_blobs (repository_id, digest); kind 'blob': blobs (digest), repository_id 0.
CREATE TABLE gc_marks (
    kind          text        NOT NULL CHECK (kind IN ('link', 'blob')),
    repository_id bigint      NOT NULL,
    digest        text        NOT NULL,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, repository_id, digest)
);
CREATE INDEX gc_marks_due ON gc_marks (first_seen_at);
COMMENT ON TABLE gc_marks IS 'owner: gc';

-- The one cron schedule of full runs, with the options they run with.
CREATE TABLE gc_schedule (
    id              smallint    PRIMARY KEY CHECK (id = 1),
    cron            text,
    dry_run         boolean     NOT NULL DEFAULT false,
    delete_untagged boolean     NOT NULL DEFAULT false,
    grace_seconds   bigint      CHECK (grace_seconds IS NULL OR grace_seconds >= 0),
    -- The last time the schedule fired, so that of several replicas only one starts its run.
    last_fired_at   timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      text
);
INSERT INTO gc_schedule (id) VALUES (1);
COMMENT ON TABLE gc_schedule IS 'owner: gc';

-- Pending links (an upload or mount no manifest has used yet) expire by age.
CREATE INDEX repository_blobs_pending ON repository_blobs (linked_at) WHERE pending;
