-- Project quotas enforced (issue #19; docs/adr/0021-project-quotas-and-tag-immutability.md).
--
-- What a project uses: each blob once, however many of its repositories link it, if one of
-- those links is pending (uploaded or mounted, no manifest of that repository references it
-- yet) or a manifest of that repository references it; plus the bytes of each distinct manifest.
-- A link that a manifest delete left unreferenced counts no more (gc removes it later).
-- registry-api keeps project_usage.stored_bytes equal to this, changing it in the transaction of
-- every push, mount and delete while it holds the project's usage row locked.

-- A link is pending from the upload or mount that made it until a manifest references it.
ALTER TABLE repository_blobs ADD COLUMN pending boolean NOT NULL DEFAULT true;

-- Links a manifest already references are not pending. The rest are uploads nothing uses yet,
-- or leftovers of deleted manifests; without history the two look alike, so both count.
UPDATE repository_blobs rb SET pending = false
WHERE EXISTS (
    SELECT 1 FROM manifests m
    JOIN manifest_references mr ON mr.manifest_id = m.id AND mr.kind = 'blob' AND mr.digest = rb.digest
    WHERE m.repository_id = rb.repository_id);

-- Whether a project holds a manifest is asked by digest across its repositories.
CREATE INDEX manifests_digest ON manifests (digest);

-- The definition above, computed from scratch: the migration's backfill, an operator's check
-- (SELECT ... WHERE stored_bytes <> actual) and a recount if ever needed.
CREATE VIEW project_usage_actual AS
SELECT p.id AS project_id, coalesce(b.bytes, 0) + coalesce(m.bytes, 0) AS stored_bytes
FROM projects p
LEFT JOIN (
    SELECT project_id, sum(size) AS bytes FROM (
        SELECT DISTINCT r.project_id, rb.digest, bl.size
        FROM repository_blobs rb
        JOIN repositories r ON r.id = rb.repository_id
        JOIN blobs bl ON bl.digest = rb.digest
        WHERE rb.pending OR EXISTS (
            SELECT 1 FROM manifests m
            JOIN manifest_references mr ON mr.manifest_id = m.id AND mr.kind = 'blob' AND mr.digest = rb.digest
            WHERE m.repository_id = rb.repository_id)) held
    GROUP BY project_id) b ON b.project_id = p.id
LEFT JOIN (
    SELECT project_id, sum(size) AS bytes FROM (
        SELECT DISTINCT r.project_id, m.digest, m.size
        FROM manifests m JOIN repositories r ON r.id = m.repository_id) stored
    GROUP BY project_id) m ON m.project_id = p.id;
COMMENT ON VIEW project_usage_actual IS 'owner: registry-api (what project_usage must equal)';

-- Backfill: projects that already hold data start with their real usage, every other project at 0.
INSERT INTO project_usage (project_id, stored_bytes)
SELECT project_id, stored_bytes FROM project_usage_actual
ON CONFLICT (project_id) DO UPDATE SET stored_bytes = EXCLUDED.stored_bytes, updated_at = now();
