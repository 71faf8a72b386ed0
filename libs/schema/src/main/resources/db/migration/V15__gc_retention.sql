-- Retention policies per project and their executions (issue #21, docs/adr/0029-retention-policies.md,
-- docs/retention.md). gc stores, schedules and runs them.

-- A project's policy: its rules as RetentionPolicy's JSON (normalized when stored) and an
-- optional cron schedule (UTC). Goes with its project.
CREATE TABLE retention_policies (
    project_id    bigint      PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    policy        jsonb       NOT NULL,
    cron          text,
    -- The last time the schedule fired (or the policy was set), so that of several replicas only
    -- one starts each scheduled execution (compare-and-set, as gc_schedule).
    last_fired_at timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    text
);
CREATE INDEX retention_policies_scheduled ON retention_policies (project_id) WHERE cron IS NOT NULL;
COMMENT ON TABLE retention_policies IS 'owner: gc';

-- One execution of a project's policy: who or what started it, how it went, what it did.
CREATE TABLE retention_executions (
    id           bigserial   PRIMARY KEY,
    project_id   bigint      NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    trigger      text        NOT NULL CHECK (trigger IN ('manual', 'schedule')),
    dry_run      boolean     NOT NULL,
    status       text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    started_at   timestamptz NOT NULL DEFAULT now(),
    ended_at     timestamptz,
    -- The replica running it says it is alive; one whose heartbeat stops is failed by the next start.
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    retained     integer     NOT NULL DEFAULT 0,
    deleted      integer     NOT NULL DEFAULT 0,
    -- Repositories of the project no enabled rule selects (left alone).
    untouched    text[]      NOT NULL DEFAULT '{}',
    error        text,
    requested_by text
);
-- At most one running execution per project, whichever replica starts it.
CREATE UNIQUE INDEX retention_executions_one_running ON retention_executions (project_id) WHERE status = 'running';
CREATE INDEX retention_executions_project ON retention_executions (project_id, id DESC);
COMMENT ON TABLE retention_executions IS 'owner: gc';

-- What an execution decided for each top-level artifact of the repositories in scope.
CREATE TABLE retention_execution_items (
    execution_id bigint  NOT NULL REFERENCES retention_executions (id) ON DELETE CASCADE,
    -- The repository's path within its project: frontend for myapp/frontend.
    repository   text    NOT NULL,
    digest       text    NOT NULL,
    tags         text[]  NOT NULL DEFAULT '{}',
    retained     boolean NOT NULL,
    reason       text    NOT NULL,
    -- Order of the plan: repository, newest push first, then digest.
    seq          integer NOT NULL,
    PRIMARY KEY (execution_id, repository, digest)
);
CREATE INDEX retention_execution_items_order ON retention_execution_items (execution_id, seq);
COMMENT ON TABLE retention_execution_items IS 'owner: gc';
