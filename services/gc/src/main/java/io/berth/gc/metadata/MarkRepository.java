package io.berth.gc.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The mark phase (docs/adr/0027): set-based statements that note in {@code gc_marks} since when
 * each link and blob has been unreferenced, keeping the first sighting, and forget what is
 * referenced again. Marking deletes nothing and takes no lock a push waits for; a run, and
 * every burst of deletions heard on {@code berth.artifacts}, marks.
 *
 * <ul>
 *   <li>A <b>link</b> ({@code repository_blobs}) is unreferenced when it is not pending and no
 *       manifest of its repository references its blob. Pending links are not marked: they
 *       expire by {@code linked_at}.
 *   <li>A <b>blob</b> is unreferenced when no manifest references it and no link to it is
 *       pending, so it is marked together with its last links and both fall due together.
 * </ul>
 */
@ApplicationScoped
public class MarkRepository {

    private static final String MARK_LINKS = """
            WITH unreferenced AS MATERIALIZED (
                SELECT rb.repository_id, rb.digest FROM repository_blobs rb
                WHERE NOT rb.pending AND NOT EXISTS (
                    SELECT 1 FROM manifest_references mr JOIN manifests m ON m.id = mr.manifest_id
                    WHERE mr.kind = 'blob' AND mr.digest = rb.digest AND m.repository_id = rb.repository_id)),
            forgotten AS (
                DELETE FROM gc_marks g WHERE g.kind = 'link' AND NOT EXISTS (
                    SELECT 1 FROM unreferenced u WHERE u.repository_id = g.repository_id AND u.digest = g.digest))
            INSERT INTO gc_marks (kind, repository_id, digest)
            SELECT 'link', repository_id, digest FROM unreferenced
            ON CONFLICT DO NOTHING""";

    private static final String MARK_BLOBS = """
            WITH unreferenced AS MATERIALIZED (
                SELECT b.digest FROM blobs b
                WHERE NOT EXISTS (SELECT 1 FROM manifest_references mr WHERE mr.digest = b.digest AND mr.kind = 'blob')
                  AND NOT EXISTS (SELECT 1 FROM repository_blobs rb WHERE rb.digest = b.digest AND rb.pending)),
            forgotten AS (
                DELETE FROM gc_marks g WHERE g.kind = 'blob' AND NOT EXISTS (
                    SELECT 1 FROM unreferenced u WHERE u.digest = g.digest))
            INSERT INTO gc_marks (kind, repository_id, digest)
            SELECT 'blob', 0, digest FROM unreferenced
            ON CONFLICT DO NOTHING""";

    private final DataSource db;

    public MarkRepository(DataSource db) {
        this.db = db;
    }

    /** Marks unreferenced links, then blobs; returns how many marks are new. */
    public long mark() {
        return markLinks() + markBlobs();
    }

    public long markLinks() {
        return update("mark unreferenced links", MARK_LINKS);
    }

    public long markBlobs() {
        return update("mark unreferenced blobs", MARK_BLOBS);
    }

    /**
     * When the oldest mark was first seen: a run with grace {@code g} has work once this is
     * {@code g} ago.
     */
    public Optional<java.time.Instant> oldestMark() {
        return Db.statements(db, "read the oldest gc mark", c -> {
            try (var ps = c.prepareStatement("SELECT min(first_seen_at) FROM gc_marks"); var rs = ps.executeQuery()) {
                rs.next();
                return Optional.ofNullable(RunRepository.instant(rs.getTimestamp(1)));
            }
        });
    }

    /** Whether a pending link is older than {@code grace} (an upload or mount no manifest used). */
    public boolean expiredPendingLinks(Duration grace) {
        return Db.statements(db, "look for expired pending links", c -> {
            try (var ps = c.prepareStatement(
                    "SELECT EXISTS (SELECT 1 FROM repository_blobs WHERE pending AND linked_at <= now() - make_interval(secs => ?))")) {
                ps.setDouble(1, grace.toMillis() / 1000.0);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    private long update(String what, String sql) {
        return Db.statements(db, what, c -> execute(c, sql));
    }

    private static long execute(Connection c, String sql) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            return ps.executeLargeUpdate();
        }
    }
}
