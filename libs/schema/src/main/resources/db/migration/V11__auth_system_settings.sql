-- System settings (issue #19; docs/adr/0022-read-only-mode.md): one row, changed by system
-- administrators through auth's PUT /api/v1/system/settings. registry-api reads read_only every
-- second and refuses writes while it is on.
CREATE TABLE system_settings (
    -- Always true: the table holds exactly one row.
    id         boolean     PRIMARY KEY DEFAULT true CHECK (id),
    read_only  boolean     NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- The system administrator who last changed a setting; null before any change.
    updated_by text
);
INSERT INTO system_settings DEFAULT VALUES;
COMMENT ON TABLE system_settings IS 'owner: auth (registry-api reads read_only)';
