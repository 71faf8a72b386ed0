-- The registry's metadata (issue #3): projects, repositories, blobs and their links,
-- manifests with their references, tags, upload sessions, per-project usage, and the
-- transactional outbox. Designed for the later issues too: gc (reference tracking and
-- timestamps for grace periods), retention (push/pull times), quotas (usage per project),
-- replication and scanning (status per manifest). docs/adr/0007-registry-storage.md explains.

-- owner: auth. registry-api reads it to refuse pushes into unknown projects. Issue #4 adds
-- members, robots and the management API on top.
CREATE TABLE projects (
    id                   bigserial   PRIMARY KEY,
    name                 text        NOT NULL UNIQUE,
    public               boolean     NOT NULL DEFAULT false,
    -- NULL means unlimited.
    quota_bytes          bigint      CHECK (quota_bytes IS NULL OR quota_bytes >= 0),
    -- Tag immutability rules and the vulnerability policy, as auth's API defines them.
    immutable_tag_rules  jsonb       NOT NULL DEFAULT '[]',
    vulnerability_policy jsonb       NOT NULL DEFAULT '{}',
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE projects IS 'owner: auth';

CREATE TABLE repositories (
    id         bigserial   PRIMARY KEY,
    project_id bigint      NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    -- The full name, project included: team/app/component.
    name       text        NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX repositories_project ON repositories (project_id, name);
COMMENT ON TABLE repositories IS 'owner: registry-api';

-- One row per distinct blob content, shared by every repository. The bytes live in the object
-- store at blobs/<object_id> (libs/storage ObjectKeys); the digest is the content address.
CREATE TABLE blobs (
    digest     text        PRIMARY KEY,
    object_id  uuid        NOT NULL UNIQUE,
    size       bigint      NOT NULL CHECK (size >= 0),
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE blobs IS 'owner: registry-api (gc deletes unreferenced rows after the grace period)';

-- Which repository may see which blob (a push, a mount, or a manifest that references it).
CREATE TABLE repository_blobs (
    repository_id bigint      NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    digest        text        NOT NULL REFERENCES blobs (digest),
    linked_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (repository_id, digest)
);
CREATE INDEX repository_blobs_digest ON repository_blobs (digest);
COMMENT ON TABLE repository_blobs IS 'owner: registry-api';

CREATE TABLE manifests (
    id             bigserial   PRIMARY KEY,
    repository_id  bigint      NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    digest         text        NOT NULL,
    media_type     text        NOT NULL,
    artifact_type  text,
    -- The exact bytes pushed: a pull is one indexed read, never an object-store round trip.
    content        bytea       NOT NULL,
    size           bigint      NOT NULL,
    -- The manifest plus every blob it references, for listings and quotas.
    total_size     bigint      NOT NULL,
    subject_digest text,
    annotations    jsonb,
    pushed_at      timestamptz NOT NULL DEFAULT now(),
    last_pulled_at timestamptz,
    UNIQUE (repository_id, digest)
);
CREATE INDEX manifests_subject ON manifests (repository_id, subject_digest) WHERE subject_digest IS NOT NULL;
CREATE INDEX manifests_pushed ON manifests (repository_id, pushed_at);
COMMENT ON TABLE manifests IS 'owner: registry-api';

-- What each manifest references: its config and layers (kind blob) or, for an index, its
-- child manifests (kind manifest). gc marks from here; deletes check it.
CREATE TABLE manifest_references (
    manifest_id bigint NOT NULL REFERENCES manifests (id) ON DELETE CASCADE,
    kind        text   NOT NULL CHECK (kind IN ('blob', 'manifest')),
    digest      text   NOT NULL,
    PRIMARY KEY (manifest_id, kind, digest)
);
CREATE INDEX manifest_references_digest ON manifest_references (digest, kind);
COMMENT ON TABLE manifest_references IS 'owner: registry-api';

CREATE TABLE tags (
    repository_id bigint      NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    name          text        NOT NULL,
    manifest_id   bigint      NOT NULL REFERENCES manifests (id) ON DELETE CASCADE,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (repository_id, name)
);
CREATE INDEX tags_manifest ON tags (manifest_id);
COMMENT ON TABLE tags IS 'owner: registry-api';

-- An upload session survives restarts and moves between replicas: everything needed to
-- continue it is here. Bytes go to blobs/<object_id> as multipart parts; the bytes that do
-- not fill a part yet wait in uploads/<id>/tail.
CREATE TABLE uploads (
    id              uuid        PRIMARY KEY,
    repository_id   bigint      NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    object_id       uuid        NOT NULL UNIQUE,
    s3_upload_id    text,
    -- [{"number": 1, "etag": "...", "length": 8388608}, ...]
    parts           jsonb       NOT NULL DEFAULT '[]',
    -- Bytes received so far (parts plus tail): the end of the Range header.
    received_bytes  bigint      NOT NULL DEFAULT 0,
    tail_bytes      integer     NOT NULL DEFAULT 0,
    started_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX uploads_updated ON uploads (updated_at);
COMMENT ON TABLE uploads IS 'owner: registry-api (gc purges abandoned sessions)';

-- Bytes stored per project, for quotas: blobs count once per project that links them.
CREATE TABLE project_usage (
    project_id   bigint      PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    stored_bytes bigint      NOT NULL DEFAULT 0,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE project_usage IS 'owner: registry-api';

-- Events committed with the data they describe; a relay publishes them to Kafka (issue #6).
CREATE TABLE outbox (
    id           bigserial   PRIMARY KEY,
    event_id     uuid        NOT NULL UNIQUE,
    topic        text        NOT NULL,
    -- The Kafka key: the repository, so events of one repository stay in order.
    event_key    text        NOT NULL,
    event_type   text        NOT NULL,
    payload      jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX outbox_pending ON outbox (id) WHERE published_at IS NULL;
COMMENT ON TABLE outbox IS 'owner: registry-api and auth insert; the relay (issue #6) marks rows published';

-- Per-manifest state of the services that act on pushes. Rows are written by their owners.
CREATE TABLE manifest_scans (
    manifest_id bigint      PRIMARY KEY REFERENCES manifests (id) ON DELETE CASCADE,
    status      text        NOT NULL CHECK (status IN ('pending', 'running', 'success', 'error')),
    -- Counts by severity, e.g. {"critical": 0, "high": 2}; the full report is scanner-bridge's.
    summary     jsonb,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE manifest_scans IS 'owner: scanner-bridge';

CREATE TABLE manifest_replications (
    manifest_id bigint      NOT NULL REFERENCES manifests (id) ON DELETE CASCADE,
    target      text        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('pending', 'running', 'success', 'error')),
    detail      text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (manifest_id, target)
);
COMMENT ON TABLE manifest_replications IS 'owner: replicator';
