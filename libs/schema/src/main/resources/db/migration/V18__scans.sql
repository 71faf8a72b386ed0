-- Scanning (issue #22, docs/adr/0034-scanner-bridge-flow-and-pull-gate.md): the scanners, the
-- scan queue, the reports, and what registry-api's pull gate reads. scanner-bridge owns every
-- table here; registry-api only reads manifest_scans.

-- The scanners: the built-in one (always present) and Pluggable Scanner API v1.1 adapters
-- registered by a system administrator. auth_secret is encrypted as auth encrypts its signing
-- keys and is never returned by an API.
CREATE TABLE scanners (
    id          bigserial   PRIMARY KEY,
    name        text        NOT NULL UNIQUE,
    kind        text        NOT NULL CHECK (kind IN ('builtin', 'adapter')),
    -- The adapter's base URL (the one before /api/v1/metadata); null for the built-in scanner.
    url         text,
    auth_kind   text        NOT NULL DEFAULT 'none' CHECK (auth_kind IN ('none', 'basic', 'bearer', 'api-key')),
    auth_secret bytea,
    -- Accept a self-signed certificate from the adapter.
    insecure    boolean     NOT NULL DEFAULT false,
    disabled    boolean     NOT NULL DEFAULT false,
    is_default  boolean     NOT NULL DEFAULT false,
    description text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (kind = 'builtin' OR url IS NOT NULL)
);
-- At most one default scanner.
CREATE UNIQUE INDEX scanners_one_default ON scanners ((true)) WHERE is_default;
COMMENT ON TABLE scanners IS 'owner: scanner-bridge';
INSERT INTO scanners (name, kind, is_default, description)
VALUES ('berth', 'builtin', true, 'The built-in scanner: inventory of OS and language packages, matched against the imported OSV database');

-- A project that chose a scanner other than the system default.
CREATE TABLE project_scanners (
    project_id bigint      PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    scanner_id bigint      NOT NULL REFERENCES scanners (id) ON DELETE CASCADE,
    updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE project_scanners IS 'owner: scanner-bridge';

-- The scan queue. Every replica's workers claim rows with FOR UPDATE SKIP LOCKED; Kafka only
-- wakes them. A running job whose owner stops heart-beating is taken over.
CREATE TABLE scan_jobs (
    id              bigserial   PRIMARY KEY,
    manifest_id     bigint      NOT NULL REFERENCES manifests (id) ON DELETE CASCADE,
    scanner_id      bigint      NOT NULL REFERENCES scanners (id) ON DELETE CASCADE,
    -- push: scan on push; manual: one artifact; project: a project's scan; all: scan-all;
    -- rescan: the vulnerability database changed.
    trigger         text        NOT NULL CHECK (trigger IN ('push', 'manual', 'project', 'all', 'rescan')),
    -- Higher first; rescans are the lowest.
    priority        smallint    NOT NULL DEFAULT 0,
    status          text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    owner           text,
    heartbeat_at    timestamptz,
    requested_by    text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    finished_at     timestamptz,
    error           text
);
-- One open job per artifact and scanner: a second request while one waits or runs joins it.
CREATE UNIQUE INDEX scan_jobs_one_open ON scan_jobs (manifest_id, scanner_id) WHERE status IN ('queued', 'running');
CREATE INDEX scan_jobs_queue ON scan_jobs (priority DESC, next_attempt_at, id) WHERE status = 'queued';
CREATE INDEX scan_jobs_running ON scan_jobs (heartbeat_at) WHERE status = 'running';
COMMENT ON TABLE scan_jobs IS 'owner: scanner-bridge';

-- The latest report of each artifact by each scanner. An index's report is the union of its
-- children's.
CREATE TABLE scan_reports (
    manifest_id     bigint      NOT NULL REFERENCES manifests (id) ON DELETE CASCADE,
    scanner_id      bigint      NOT NULL REFERENCES scanners (id) ON DELETE CASCADE,
    status          text        NOT NULL CHECK (status IN ('success', 'error')),
    -- The vulnerability database the report was matched against (the last succeeded import).
    vulndb_import_id bigint,
    generated_at    timestamptz NOT NULL DEFAULT now(),
    -- {"critical": n, "high": n, "medium": n, "low": n, "unknown": n, "total": n, "fixable": n}
    summary         jsonb       NOT NULL DEFAULT '{}',
    -- [{"id", "aliases", "package", "ecosystem", "purl", "installedVersion", "fixedVersion",
    --   "severity", "cvssScore", "summary", "links"}]
    vulnerabilities jsonb       NOT NULL DEFAULT '[]',
    -- The CycloneDX JSON SBOM, when the scanner produced one.
    sbom            jsonb,
    -- The digest of the SBOM artifact pushed with subject = this manifest, once pushed.
    sbom_digest     text,
    error           text,
    PRIMARY KEY (manifest_id, scanner_id)
);
COMMENT ON TABLE scan_reports IS 'owner: scanner-bridge';

-- One row per vulnerability found in a report: "which artifacts are affected by CVE-X".
-- ids holds the advisory's id and its aliases.
CREATE TABLE scan_findings (
    manifest_id bigint NOT NULL,
    scanner_id  bigint NOT NULL,
    advisory_id text   NOT NULL,
    ids         text[] NOT NULL,
    severity    text   NOT NULL,
    package     text   NOT NULL,
    PRIMARY KEY (manifest_id, scanner_id, advisory_id, package),
    FOREIGN KEY (manifest_id, scanner_id) REFERENCES scan_reports (manifest_id, scanner_id) ON DELETE CASCADE
);
CREATE INDEX scan_findings_ids ON scan_findings USING gin (ids);
COMMENT ON TABLE scan_findings IS 'owner: scanner-bridge';

-- What the browsing API and the pull gate read, for the scanner that applies to the artifact's
-- project. gate: one entry per vulnerability, [{"ids": ["GHSA-...", "CVE-..."], "severity": "high"}]
-- (severity lowercase; ids are the advisory id and its aliases, so an allowlist may name either).
ALTER TABLE manifest_scans ADD COLUMN scanner_id bigint REFERENCES scanners (id) ON DELETE SET NULL;
ALTER TABLE manifest_scans ADD COLUMN gate jsonb NOT NULL DEFAULT '[]';
ALTER TABLE manifest_scans ADD COLUMN error text;
