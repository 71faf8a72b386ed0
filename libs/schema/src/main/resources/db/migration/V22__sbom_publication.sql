-- The SBOM pushed as an OCI artifact (issue #22, docs/adr/0035-service-accounts-and-sbom-artifacts.md):
-- a report whose SBOM is not yet in the registry (sbom_digest null) is pending; scanner-bridge's
-- publisher claims due ones (sbom_publish_after <= now(), FOR UPDATE SKIP LOCKED, then a lease by
-- moving sbom_publish_after ahead), pushes, and records sbom_digest, or counts the attempt, keeps the
-- reason and backs off. Reports written before this migration are due at once: their SBOMs are
-- published after the upgrade.
ALTER TABLE scan_reports ADD COLUMN sbom_publish_after timestamptz NOT NULL DEFAULT now();
ALTER TABLE scan_reports ADD COLUMN sbom_publish_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE scan_reports ADD COLUMN sbom_publish_error text;
CREATE INDEX scan_reports_sbom_pending ON scan_reports (sbom_publish_after)
    WHERE sbom IS NOT NULL AND sbom_digest IS NULL AND status = 'success';
