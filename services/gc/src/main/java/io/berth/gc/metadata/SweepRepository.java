package io.berth.gc.metadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.gc.events.DeletionEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The sweep (docs/adr/0027): each batch one short transaction that takes its locks in the order
 * every writer takes them (the project's usage row, then its manifests and links, then blob rows
 * with SKIP LOCKED) and re-checks, in a statement that reads after the locks, that what it
 * deletes is still garbage. A batch that commits leaves the data consistent; one that fails
 * leaves it as it was.
 */
@ApplicationScoped
public class SweepRepository {

    /** An untagged manifest a run may delete, and its project. */
    public record Candidate(long id, long projectId) {}

    /** A link that may go: marked long enough, or pending too long. */
    public record LinkKey(long projectId, long repositoryId, String digest) {
        public static final LinkKey FIRST = new LinkKey(0, 0, "");
    }

    /** A blob row deleted: its object is to be removed from the store once the batch commits. */
    public record DeletedBlob(String digest, UUID objectId, long size) {}

    /** One batch of the blob sweep: what it deleted and where the next batch starts. */
    public record BlobBatch(List<DeletedBlob> deleted, String last, int scanned) {}

    /** What the untagged rule keeps, as a condition on manifest {@code m}. */
    private static final String UNTAGGED = """
            m.pushed_at <= now() - make_interval(secs => ?)
            AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.manifest_id = m.id)
            AND\s""" + ManifestRules.TOP_LEVEL;

    private final DataSource db;
    private final ObjectMapper json;

    public SweepRepository(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Up to {@code limit} untagged manifests after id {@code after}, in id order. */
    public List<Candidate> untagged(long graceSeconds, long after, int limit) {
        return Db.statements(db, "find untagged manifests", c -> {
            List<Candidate> out = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT m.id, r.project_id FROM manifests m "
                    + "JOIN repositories r ON r.id = m.repository_id WHERE " + UNTAGGED
                    + " AND m.id > ? ORDER BY m.id LIMIT ?")) {
                ps.setLong(1, graceSeconds);
                ps.setLong(2, after);
                ps.setInt(3, limit);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Candidate(rs.getLong(1), rs.getLong(2)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Deletes those of manifests {@code ids} (all of project {@code projectId}) that are still
     * untagged, unparented and without a live subject, with their reference rows, subtracts what
     * they held from the project's usage and writes their {@code artifact.deleted} events.
     *
     * @return how many were deleted
     */
    public int deleteUntagged(long projectId, List<Long> ids, long graceSeconds, String actor, String reason) {
        return Db.transaction(db, "delete untagged manifests", c -> {
            ReadOnly.refuse(c, "gc");
            UsageRows.lock(c, projectId);
            Long[] idArray = ids.toArray(Long[]::new);
            List<String> blobs = new ArrayList<>();
            List<String> manifests = new ArrayList<>();
            try (var ps = c.prepareStatement("""
                    SELECT m.digest, NULL FROM manifests m WHERE m.id = ANY (?)
                    UNION ALL
                    SELECT NULL, mr.digest FROM manifest_references mr WHERE mr.manifest_id = ANY (?) AND mr.kind = 'blob'""")) {
                ps.setArray(1, c.createArrayOf("bigint", idArray));
                ps.setArray(2, c.createArrayOf("bigint", idArray));
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getString(1) != null) {
                            manifests.add(rs.getString(1));
                        } else {
                            blobs.add(rs.getString(2));
                        }
                    }
                }
            }
            long before = UsageRows.held(c, projectId, blobs, manifests);
            int deleted = 0;
            try (var ps = c.prepareStatement("DELETE FROM manifests m USING repositories r WHERE r.id = m.repository_id"
                    + " AND m.id = ANY (?) AND r.project_id = ? AND " + UNTAGGED
                    + " RETURNING r.name, m.digest, m.media_type, m.artifact_type, m.size")) {
                ps.setArray(1, c.createArrayOf("bigint", idArray));
                ps.setLong(2, projectId);
                ps.setLong(3, graceSeconds);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String repository = rs.getString(1);
                        String project = repository.substring(0, repository.indexOf('/'));
                        DeletionEvents.write(c, json, new DeletionEvents.ArtifactDeleted(project, repository,
                                rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), actor, reason));
                        deleted++;
                    }
                }
            }
            UsageRows.add(c, projectId, UsageRows.held(c, projectId, blobs, manifests) - before);
            return deleted;
        });
    }

    /**
     * Up to {@code limit} links after {@code after} (in project, repository, digest order) that
     * a run may delete: marked at least {@code graceSeconds} ago, or pending for that long.
     */
    public List<LinkKey> dueLinks(long graceSeconds, LinkKey after, int limit) {
        return Db.statements(db, "find links to sweep", c -> {
            List<LinkKey> out = new ArrayList<>();
            try (var ps = c.prepareStatement("""
                    SELECT r.project_id, d.repository_id, d.digest FROM (
                        SELECT g.repository_id, g.digest FROM gc_marks g
                        WHERE g.kind = 'link' AND g.first_seen_at <= now() - make_interval(secs => ?)
                        UNION
                        SELECT rb.repository_id, rb.digest FROM repository_blobs rb
                        WHERE rb.pending AND rb.linked_at <= now() - make_interval(secs => ?)) d
                    JOIN repositories r ON r.id = d.repository_id
                    WHERE (r.project_id, d.repository_id, d.digest) > (?, ?, ?)
                    ORDER BY r.project_id, d.repository_id, d.digest LIMIT ?""")) {
                ps.setLong(1, graceSeconds);
                ps.setLong(2, graceSeconds);
                ps.setLong(3, after.projectId());
                ps.setLong(4, after.repositoryId());
                ps.setString(5, after.digest());
                ps.setInt(6, limit);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new LinkKey(rs.getLong(1), rs.getLong(2), rs.getString(3)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Deletes those of {@code links} (all of project {@code projectId}) that are still garbage:
     * pending for {@code graceSeconds}, or not pending and referenced by no manifest of their
     * repository. Their marks go either way (a link in use again is marked anew when it is
     * unreferenced again). The project's usage loses what the deleted pending links held.
     *
     * @return how many were deleted
     */
    public int deleteLinks(long projectId, List<LinkKey> links, long graceSeconds) {
        return Db.transaction(db, "delete unreferenced links", c -> {
            ReadOnly.refuse(c, "gc");
            UsageRows.lock(c, projectId);
            Long[] repositories = links.stream().map(LinkKey::repositoryId).toArray(Long[]::new);
            String[] digests = links.stream().map(LinkKey::digest).toArray(String[]::new);
            List<String> digestList = List.of(digests);
            long before = UsageRows.held(c, projectId, digestList, List.of());
            int deleted;
            try (var ps = c.prepareStatement("""
                    DELETE FROM repository_blobs rb USING unnest(?::bigint[], ?::text[]) AS d(repository_id, digest)
                    WHERE rb.repository_id = d.repository_id AND rb.digest = d.digest
                      AND ((rb.pending AND rb.linked_at <= now() - make_interval(secs => ?))
                        OR (NOT rb.pending AND NOT EXISTS (
                            SELECT 1 FROM manifest_references mr JOIN manifests m ON m.id = mr.manifest_id
                            WHERE mr.kind = 'blob' AND mr.digest = rb.digest AND m.repository_id = rb.repository_id)))""")) {
                ps.setArray(1, c.createArrayOf("bigint", repositories));
                ps.setArray(2, c.createArrayOf("text", digests));
                ps.setLong(3, graceSeconds);
                deleted = ps.executeUpdate();
            }
            try (var ps = c.prepareStatement("""
                    DELETE FROM gc_marks g USING unnest(?::bigint[], ?::text[]) AS d(repository_id, digest)
                    WHERE g.kind = 'link' AND g.repository_id = d.repository_id AND g.digest = d.digest""")) {
                ps.setArray(1, c.createArrayOf("bigint", repositories));
                ps.setArray(2, c.createArrayOf("text", digests));
                ps.executeUpdate();
            }
            UsageRows.add(c, projectId, UsageRows.held(c, projectId, digestList, List.of()) - before);
            return deleted;
        });
    }

    /**
     * One batch of the blob sweep: locks up to {@code limit} blob rows marked at least
     * {@code graceSeconds} ago with digests after {@code after}, skipping rows a push holds
     * (they stay marked for the next run), deletes those no link and no manifest references, and
     * forgets the marks of the rest. The objects are the caller's to delete after this commits.
     */
    public BlobBatch deleteBlobs(long graceSeconds, String after, int limit) {
        return Db.transaction(db, "delete unreferenced blobs", c -> {
            ReadOnly.refuse(c, "gc");
            List<String> locked = new ArrayList<>();
            try (var ps = c.prepareStatement("""
                    SELECT b.digest FROM gc_marks g JOIN blobs b ON b.digest = g.digest
                    WHERE g.kind = 'blob' AND g.repository_id = 0 AND g.digest > ?
                      AND g.first_seen_at <= now() - make_interval(secs => ?)
                    ORDER BY g.digest LIMIT ? FOR UPDATE OF b SKIP LOCKED""")) {
                ps.setString(1, after);
                ps.setLong(2, graceSeconds);
                ps.setInt(3, limit);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        locked.add(rs.getString(1));
                    }
                }
            }
            if (locked.isEmpty()) {
                return new BlobBatch(List.of(), after, 0);
            }
            var array = c.createArrayOf("text", locked.toArray());
            List<DeletedBlob> deleted = new ArrayList<>();
            try (var ps = c.prepareStatement("""
                    DELETE FROM blobs b WHERE b.digest = ANY (?)
                      AND NOT EXISTS (SELECT 1 FROM repository_blobs rb WHERE rb.digest = b.digest)
                      AND NOT EXISTS (SELECT 1 FROM manifest_references mr WHERE mr.digest = b.digest AND mr.kind = 'blob')
                    RETURNING b.digest, b.object_id, b.size""")) {
                ps.setArray(1, array);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        deleted.add(new DeletedBlob(rs.getString(1), rs.getObject(2, UUID.class), rs.getLong(3)));
                    }
                }
            }
            try (var ps = c.prepareStatement(
                    "DELETE FROM gc_marks WHERE kind = 'blob' AND repository_id = 0 AND digest = ANY (?)")) {
                ps.setArray(1, array);
                ps.executeUpdate();
            }
            return new BlobBatch(deleted, locked.get(locked.size() - 1), locked.size());
        });
    }

    /** Which of {@code objectIds} a blob row or an upload session names (the rest are orphans). */
    public Set<UUID> named(Collection<UUID> objectIds) {
        if (objectIds.isEmpty()) {
            return Set.of();
        }
        return Db.statements(db, "look up stored objects", c -> {
            Set<UUID> named = new HashSet<>();
            try (var ps = c.prepareStatement("""
                    SELECT x FROM unnest(?::uuid[]) AS x
                    WHERE EXISTS (SELECT 1 FROM blobs b WHERE b.object_id = x)
                       OR EXISTS (SELECT 1 FROM uploads u WHERE u.object_id = x)""")) {
                ps.setArray(1, c.createArrayOf("uuid", objectIds.toArray()));
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        named.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            return named;
        });
    }

    /** Every project id, for reconciling usage one project at a time. */
    public List<Long> projects() {
        return Db.statements(db, "list projects", c -> {
            List<Long> ids = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT id FROM projects ORDER BY id"); var rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        });
    }

    /** Corrects project {@code projectId}'s usage under its lock; returns the correction (0: none). */
    public long reconcile(long projectId) {
        return Db.transaction(db, "reconcile project usage", c -> {
            UsageRows.lock(c, projectId);
            return UsageRows.reconcile(c, projectId);
        });
    }
}
