-- Replication, part 2 (issue #23, docs/adr/0038-replication-executions-and-triggers.md, 0039, 0040):
-- policies, their executions and each execution's tasks, which are also the work queue every
-- replicator replica takes from (FOR UPDATE SKIP LOCKED, leases), as scan_jobs are for
-- scanner-bridge. replicator owns all three tables.
CREATE TABLE replication_policies (
    id                 bigserial   PRIMARY KEY,
    name               text        NOT NULL UNIQUE,
    description        text,
    enabled            boolean     NOT NULL DEFAULT true,
    -- push: this berth is the source, the endpoint the destination; pull: the other way round.
    direction          text        NOT NULL CHECK (direction IN ('push', 'pull')),
    -- An endpoint a policy uses cannot be deleted (409), hence RESTRICT.
    endpoint_id        bigint      NOT NULL REFERENCES replication_endpoints (id) ON DELETE RESTRICT,
    -- What is copied: {"repositories": [doublestar patterns], "tags": {"include": [...],
    -- "exclude": [...]}, "types": ["images" | "charts" | "referrers" | "all"...],
    -- "platforms": ["linux/amd64", ...]}; the shape is the replicator's (policy.Filters).
    filters            jsonb       NOT NULL DEFAULT '{}',
    -- Where it goes: the destination repository is dest_namespace plus the source repository
    -- with its first `flatten` path segments removed (-1: all but the last; 0: none).
    dest_namespace     text,
    flatten            integer     NOT NULL DEFAULT 0 CHECK (flatten >= -1),
    overwrite          boolean     NOT NULL DEFAULT true,
    replicate_deletion boolean     NOT NULL DEFAULT false,
    trigger_type       text        NOT NULL CHECK (trigger_type IN ('manual', 'scheduled', 'event_based')),
    cron               text,
    -- The cron trigger's bookkeeping: the scheduled time last fired (claimed by one replica).
    last_fired_at      timestamptz,
    -- Bandwidth limit for this policy's copies in KiB/s; 0 is unlimited.
    speed_kib          integer     NOT NULL DEFAULT 0 CHECK (speed_kib >= 0),
    created_by         text        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_by         text        NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK ((trigger_type = 'scheduled') = (cron IS NOT NULL))
);
COMMENT ON TABLE replication_policies IS 'owner: replicator';
CREATE INDEX replication_policies_by_endpoint ON replication_policies (endpoint_id);

CREATE TABLE replication_executions (
    id          bigserial   PRIMARY KEY,
    policy_id   bigint      NOT NULL REFERENCES replication_policies (id) ON DELETE CASCADE,
    trigger     text        NOT NULL CHECK (trigger IN ('manual', 'scheduled', 'event_based')),
    -- The berth.artifacts event an event-based execution was made for: a redelivered event finds
    -- its execution and makes no second one.
    event_id    text,
    -- pending: tasks are being listed; running; succeeded / failed / stopped when every task ended.
    status      text        NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'stopped')),
    status_text text,
    -- Set by a stop request; workers finish no new task of a stopping execution.
    stop_requested boolean  NOT NULL DEFAULT false,
    started_by  text,
    started_at  timestamptz NOT NULL DEFAULT now(),
    ended_at    timestamptz,
    UNIQUE (policy_id, event_id)
);
COMMENT ON TABLE replication_executions IS 'owner: replicator';
CREATE INDEX replication_executions_by_policy ON replication_executions (policy_id, id DESC);

CREATE TABLE replication_tasks (
    id              bigserial   PRIMARY KEY,
    execution_id    bigint      NOT NULL REFERENCES replication_executions (id) ON DELETE CASCADE,
    -- copy: the artifact to the destination; delete: remove it there (deletion propagation).
    operation       text        NOT NULL CHECK (operation IN ('copy', 'delete')),
    -- The local project the task touches (the source of a push, the destination of a pull):
    -- project administrators see the tasks and executions of their projects.
    local_project   text        NOT NULL,
    src_repository  text        NOT NULL,
    -- A tag, or a digest for an untagged artifact or a delete by digest.
    src_reference   text        NOT NULL,
    dst_repository  text        NOT NULL,
    dst_reference   text        NOT NULL,
    digest          text,
    artifact_type   text,
    status          text        NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'stopped')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_owner     text,
    lease_until     timestamptz,
    error           text,
    bytes           bigint      NOT NULL DEFAULT 0,
    -- When the source commit happened (an event's time): the lag metric's start.
    source_time     timestamptz,
    log             text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    ended_at        timestamptz
);
COMMENT ON TABLE replication_tasks IS 'owner: replicator';
CREATE INDEX replication_tasks_by_execution ON replication_tasks (execution_id, id);
CREATE INDEX replication_tasks_ready ON replication_tasks (next_attempt_at) WHERE status IN ('pending', 'running');
CREATE INDEX replication_tasks_by_project ON replication_tasks (local_project, execution_id);
