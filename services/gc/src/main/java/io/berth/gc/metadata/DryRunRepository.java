package io.berth.gc.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * What a run would delete, computed without deleting or locking anything a push needs: one
 * REPEATABLE READ transaction (one consistent snapshot) that plays the run's steps on temporary
 * tables and is rolled back. It follows the same rules as the real sweep ({@link SweepRepository}),
 * cascades included: with grace 0 an untagged index takes its children, then their links and
 * blobs; with a grace window, only what has been marked for that long goes, as in a real run.
 */
@ApplicationScoped
public class DryRunRepository {

    /** The most passes of the untagged rule (index → children → their referrers ...). */
    static final int MAX_PASSES = 32;

    private static final String DEAD = "EXISTS (SELECT 1 FROM gc_sim_manifests d WHERE d.id = %s)";

    private final DataSource db;

    public DryRunRepository(DataSource db) {
        this.db = db;
    }

    /** What a run with these options would delete now; {@code objectsDeleted} is left 0 (orphans are counted apart). */
    public GcRun.Counts simulate(long graceSeconds, boolean deleteUntagged) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return simulate(c, graceSeconds, deleteUntagged);
            } finally {
                c.rollback();
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw Db.failure("simulate a gc run", e);
        }
    }

    private static GcRun.Counts simulate(Connection c, long grace, boolean deleteUntagged) throws SQLException {
        run(c, "CREATE TEMP TABLE gc_sim_manifests (id bigint PRIMARY KEY) ON COMMIT DROP", grace);
        run(c, "CREATE TEMP TABLE gc_sim_links (repository_id bigint, digest text, PRIMARY KEY (repository_id, digest)) ON COMMIT DROP", grace);
        long manifests = 0;
        if (deleteUntagged) {
            for (int pass = 0; pass < MAX_PASSES; pass++) {
                long added = run(c, """
                        INSERT INTO gc_sim_manifests
                        SELECT m.id FROM manifests m
                        WHERE m.pushed_at <= now() - make_interval(secs => :grace)
                          AND NOT %s
                          AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.manifest_id = m.id)
                          AND NOT EXISTS (SELECT 1 FROM manifest_references mr JOIN manifests p ON p.id = mr.manifest_id
                              WHERE mr.kind = 'manifest' AND mr.digest = m.digest AND p.repository_id = m.repository_id
                                AND NOT %s)
                          AND (m.subject_digest IS NULL OR NOT EXISTS (SELECT 1 FROM manifests s
                              WHERE s.repository_id = m.repository_id AND s.digest = m.subject_digest AND NOT %s))
                        ON CONFLICT DO NOTHING""".formatted(DEAD.formatted("m.id"), DEAD.formatted("p.id"),
                        DEAD.formatted("s.id")), grace);
                manifests += added;
                if (added == 0) {
                    break;
                }
            }
        }
        long links = run(c, """
                INSERT INTO gc_sim_links
                SELECT rb.repository_id, rb.digest FROM repository_blobs rb
                WHERE (rb.pending AND rb.linked_at <= now() - make_interval(secs => :grace))
                   OR (NOT rb.pending
                       AND NOT EXISTS (SELECT 1 FROM manifest_references mr JOIN manifests m ON m.id = mr.manifest_id
                           WHERE mr.kind = 'blob' AND mr.digest = rb.digest AND m.repository_id = rb.repository_id
                             AND NOT %s)
                       AND (:grace = 0 OR EXISTS (SELECT 1 FROM gc_marks g WHERE g.kind = 'link'
                           AND g.repository_id = rb.repository_id AND g.digest = rb.digest
                           AND g.first_seen_at <= now() - make_interval(secs => :grace))))""".formatted(
                DEAD.formatted("m.id")), grace);
        try (var ps = c.prepareStatement(bind("""
                SELECT count(*), coalesce(sum(b.size), 0) FROM blobs b
                WHERE NOT EXISTS (SELECT 1 FROM repository_blobs rb WHERE rb.digest = b.digest AND NOT EXISTS (
                          SELECT 1 FROM gc_sim_links l WHERE l.repository_id = rb.repository_id AND l.digest = rb.digest))
                  AND NOT EXISTS (SELECT 1 FROM manifest_references mr
                      WHERE mr.digest = b.digest AND mr.kind = 'blob' AND NOT %s)
                  AND (:grace = 0 OR EXISTS (SELECT 1 FROM gc_marks g WHERE g.kind = 'blob' AND g.repository_id = 0
                      AND g.digest = b.digest AND g.first_seen_at <= now() - make_interval(secs => :grace)))"""
                .formatted(DEAD.formatted("mr.manifest_id")), grace)); var rs = ps.executeQuery()) {
            rs.next();
            return new GcRun.Counts(manifests, links, rs.getLong(1), 0, rs.getLong(2));
        }
    }

    private static long run(Connection c, String sql, long grace) throws SQLException {
        try (var ps = c.prepareStatement(bind(sql, grace))) {
            return ps.executeLargeUpdate();
        }
    }

    /** The grace is a number the code made, never input text, so it is written into the statement. */
    private static String bind(String sql, long grace) {
        return sql.replace(":grace", Long.toString(grace));
    }
}
