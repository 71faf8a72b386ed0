-- The pull gate (issue #22; docs/security.md "The pull gate"; ADR 0034): the system-wide
-- vulnerability allowlist, the version registry-api polls to know when to reload the gate's
-- policies, and the robot permission scanner-pull.

-- The system allowlist, set by system administrators through auth's PUT /api/v1/system/settings:
-- [{"id": "CVE-...", "expiresAt": "2026-06-30T00:00:00Z" | null}] (a plain "CVE-..." string is
-- read as an entry that never expires). Applies to every project's preventPull.
ALTER TABLE system_settings ADD COLUMN vulnerability_allowlist jsonb NOT NULL DEFAULT '[]';

-- Bumped in the same transaction as any change of what the gate enforces: a project's
-- vulnerability_policy (or name, or the deletion of a project that prevents pulls) and the system
-- allowlist. Every registry-api replica reads it with read_only every second and reloads the
-- policies of the projects that prevent pulls when it moved, so a change reaches all of them
-- within about a second, whoever made it (the API, an operator's SQL, a test).
ALTER TABLE system_settings ADD COLUMN pull_gate_version bigint NOT NULL DEFAULT 0;
COMMENT ON TABLE system_settings IS 'owner: auth (registry-api reads read_only, vulnerability_allowlist and pull_gate_version)';

CREATE FUNCTION bump_pull_gate_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE system_settings SET pull_gate_version = pull_gate_version + 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER projects_pull_gate_inserted
    AFTER INSERT ON projects
    FOR EACH ROW WHEN (NEW.vulnerability_policy @> '{"preventPull": true}')
    EXECUTE FUNCTION bump_pull_gate_version();

CREATE TRIGGER projects_pull_gate_changed
    AFTER UPDATE OF vulnerability_policy, name ON projects
    FOR EACH ROW WHEN (OLD.vulnerability_policy IS DISTINCT FROM NEW.vulnerability_policy
                       OR OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION bump_pull_gate_version();

CREATE TRIGGER projects_pull_gate_deleted
    AFTER DELETE ON projects
    FOR EACH ROW WHEN (OLD.vulnerability_policy @> '{"preventPull": true}')
    EXECUTE FUNCTION bump_pull_gate_version();

CREATE FUNCTION bump_pull_gate_version_of_settings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.pull_gate_version := OLD.pull_gate_version + 1;
    RETURN NEW;
END;
$$;

CREATE TRIGGER system_allowlist_changed
    BEFORE UPDATE OF vulnerability_allowlist ON system_settings
    FOR EACH ROW WHEN (OLD.vulnerability_allowlist IS DISTINCT FROM NEW.vulnerability_allowlist)
    EXECUTE FUNCTION bump_pull_gate_version_of_settings();

-- What registry-api reloads: the projects that prevent pulls, found without a scan of projects.
CREATE INDEX projects_prevent_pull ON projects (name) WHERE vulnerability_policy @> '{"preventPull": true}';

-- Robots may hold scanner-pull (only a system administrator gives it): their tokens pass the gate.
ALTER TABLE robot_permissions DROP CONSTRAINT robot_permissions_actions_check;
ALTER TABLE robot_permissions ADD CONSTRAINT robot_permissions_actions_check
    CHECK (actions <@ ARRAY['pull', 'push', 'delete', 'scanner-pull']::text[]);
