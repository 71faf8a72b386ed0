-- Replication, part 1 (issue #23, docs/adr/0037-replication-endpoints-and-registry-client.md):
-- the remote registries a system administrator registers. replicator owns the table; policies
-- and executions (later parts) will refer to it by id.
CREATE TABLE replication_endpoints (
    id              bigserial   PRIMARY KEY,
    name            text        NOT NULL UNIQUE,
    -- What is at the other end; the client speaks the distribution API to all of them, the type
    -- tells later parts what else to expect (Docker Hub's library/ prefix, Harbor's projects).
    type            text        NOT NULL CHECK (type IN ('berth', 'distribution', 'harbor', 'docker-hub', 'quay',
                                                         'generic-oci')),
    -- The registry's base URL (the one before /v2/), http or https, without a trailing slash.
    url             text        NOT NULL,
    -- Accept a self-signed or otherwise unverifiable certificate from it.
    insecure        boolean     NOT NULL DEFAULT false,
    credential_kind text        NOT NULL DEFAULT 'none' CHECK (credential_kind IN ('none', 'basic')),
    -- The user name is not secret and is shown; the password is AES-256-GCM sealed under
    -- berth.replicator.credentials.secret (the endpoint's name as associated data) and never
    -- returned by an API.
    username        text,
    secret          bytea,
    description     text,
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      text        NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((credential_kind = 'none' AND username IS NULL AND secret IS NULL)
        OR (credential_kind = 'basic' AND username IS NOT NULL AND secret IS NOT NULL))
);
COMMENT ON TABLE replication_endpoints IS 'owner: replicator';
