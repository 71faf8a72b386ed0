-- The audit log (issue #6): every berth event, as auth's consumer reads it from Kafka
-- (berth.audit and berth.artifacts). One row per event id, so a redelivered event is not
-- written twice. Kept for berth.auth.audit.retention, then purged.
CREATE TABLE audit_log (
    id          bigserial   PRIMARY KEY,
    event_id    uuid        NOT NULL UNIQUE,
    event_type  text        NOT NULL,
    -- The event's own time (CloudEvents time).
    occurred_at timestamptz NOT NULL,
    -- The project the event concerns, if any.
    project     text,
    -- Who did it: a username or robot name; null for anonymous or system actions.
    actor       text,
    client_ip   text,
    -- The Kafka key: the repository, project, robot or account the event is about.
    subject     text        NOT NULL,
    data        jsonb       NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_time ON audit_log (occurred_at DESC, id DESC);
CREATE INDEX audit_log_project ON audit_log (project, occurred_at DESC);
CREATE INDEX audit_log_actor ON audit_log (actor, occurred_at DESC);
CREATE INDEX audit_log_type ON audit_log (event_type, occurred_at DESC);
COMMENT ON TABLE audit_log IS 'owner: auth';
