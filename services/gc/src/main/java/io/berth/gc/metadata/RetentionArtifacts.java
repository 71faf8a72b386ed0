package io.berth.gc.metadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.gc.events.DeletionEvents;
import io.berth.gc.retention.Artifact;
import io.berth.security.policy.ImmutableTagRule;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * What retention reads and deletes in the registry's tables (owned by registry-api): a project's
 * top-level artifacts, and the deletion of those a plan deletes, done the way a user's delete by
 * digest does it (registry-api's ManifestService.delete): the project's usage row locked first,
 * the bytes its blob references and digest hold measured before and after, the manifest row
 * deleted (its tags and references cascade), the difference added to the usage, and an
 * {@code artifact.deleted} event written to the outbox, all in one transaction per batch.
 */
@ApplicationScoped
public class RetentionArtifacts {

    /**
     * A top-level artifact with the manifest row it stands for.
     *
     * @param manifestId the row, for the deletion
     */
    public record Stored(long manifestId, Artifact artifact) {}

    /**
     * What a deletion batch did with each candidate, by manifest id.
     *
     * @param deleted deleted now
     * @param gone already deleted by someone else
     * @param kept not deleted, with why (its tags changed since the evaluation, or one is immutable now)
     */
    public record Outcome(List<Long> deleted, List<Long> gone, Map<Long, String> kept) {}

    private final DataSource db;
    private final ObjectMapper json;

    public RetentionArtifacts(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /**
     * The project's top-level artifacts, in one query: repository path within the project, tags,
     * {@code pushedAt} the latest of the manifest's push and its tags' updates (so re-tagging an
     * old build counts as pushing it, as in Harbor), {@code lastPulledAt} the manifest's.
     */
    public List<Stored> topLevel(long projectId) {
        return Db.statements(db, "read the project's artifacts", c -> {
            List<Stored> out = new ArrayList<>();
            try (var ps = c.prepareStatement("""
                    SELECT m.id, substr(r.name, length(p.name) + 2), m.digest, t.names,
                        greatest(m.pushed_at, t.tagged_at), m.last_pulled_at
                    FROM repositories r
                    JOIN projects p ON p.id = r.project_id
                    JOIN manifests m ON m.repository_id = r.id
                    LEFT JOIN LATERAL (SELECT array_agg(tg.name ORDER BY tg.name) AS names,
                            max(tg.updated_at) AS tagged_at
                        FROM tags tg WHERE tg.manifest_id = m.id) t ON true
                    WHERE r.project_id = ? AND\s""" + ManifestRules.TOP_LEVEL)) {
                ps.setLong(1, projectId);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Stored(rs.getLong(1), new Artifact(rs.getString(2), rs.getString(3),
                                RetentionRepository.texts(rs.getArray(4)), rs.getTimestamp(5).toInstant(),
                                RunRepository.instant(rs.getTimestamp(6)))));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Deletes the manifests of {@code expected} (ids of project {@code projectId}, with the tags
     * each had when the plan was made) in one transaction, except one whose tags changed since
     * (a tag pushed meanwhile is not lost) or one of whose tags is immutable by the project's
     * rules as they are now. The manifest rows are locked before their tags are read, so a tag
     * push waits for this transaction (and then finds its manifest gone, as it would after a
     * user's delete).
     *
     * @param rules reads the project's immutable tag rules (JSON) as they are now
     * @param actor who asked, for the events
     */
    public Outcome delete(long projectId, String project, Map<Long, List<String>> expected, String actor,
            Function<String, List<ImmutableTagRule>> rules) {
        return Db.transaction(db, "delete artifacts by retention", c -> {
            UsageRows.lock(c, projectId);
            ReadOnly.refuse(c, "retention");
            Long[] ids = expected.keySet().toArray(Long[]::new);
            try (var ps = c.prepareStatement("SELECT id FROM manifests WHERE id = ANY (?) ORDER BY id FOR UPDATE")) {
                ps.setArray(1, c.createArrayOf("bigint", ids));
                ps.executeQuery().close();
            }
            List<ImmutableTagRule> immutable = rules.apply(immutableRules(c, projectId));
            Map<Long, String> kept = new HashMap<>();
            List<Long> doomed = new ArrayList<>();
            List<String> digests = new ArrayList<>();
            Map<Long, Boolean> present = new HashMap<>();
            try (var ps = c.prepareStatement("""
                    SELECT m.id, m.digest, substr(r.name, length(p.name) + 2),
                        coalesce((SELECT array_agg(t.name ORDER BY t.name) FROM tags t WHERE t.manifest_id = m.id), '{}')
                    FROM manifests m JOIN repositories r ON r.id = m.repository_id JOIN projects p ON p.id = r.project_id
                    WHERE m.id = ANY (?) AND r.project_id = ?""")) {
                ps.setArray(1, c.createArrayOf("bigint", ids));
                ps.setLong(2, projectId);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        present.put(id, true);
                        List<String> tags = RetentionRepository.texts(rs.getArray(4));
                        String path = rs.getString(3);
                        Optional<String> why = changed(expected.get(id), tags, path, immutable);
                        if (why.isPresent()) {
                            kept.put(id, why.get());
                        } else {
                            doomed.add(id);
                            digests.add(rs.getString(2));
                        }
                    }
                }
            }
            List<Long> gone = new ArrayList<>();
            for (Long id : ids) {
                if (!present.containsKey(id)) {
                    gone.add(id);
                }
            }
            List<Long> deleted = new ArrayList<>();
            if (doomed.isEmpty()) {
                return new Outcome(deleted, gone, kept);
            }
            Long[] doomedIds = doomed.toArray(Long[]::new);
            List<String> blobs = blobReferences(c, doomedIds);
            long before = UsageRows.held(c, projectId, blobs, digests);
            try (var ps = c.prepareStatement("""
                    DELETE FROM manifests m USING repositories r WHERE r.id = m.repository_id
                    AND m.id = ANY (?) AND r.project_id = ?
                    RETURNING m.id, r.name, m.digest, m.media_type, m.artifact_type, m.size""")) {
                ps.setArray(1, c.createArrayOf("bigint", doomedIds));
                ps.setLong(2, projectId);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        deleted.add(rs.getLong(1));
                        DeletionEvents.write(c, json, new DeletionEvents.ArtifactDeleted(project, rs.getString(2),
                                rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6), actor, "retention"));
                    }
                }
            }
            UsageRows.add(c, projectId, UsageRows.held(c, projectId, blobs, digests) - before);
            return new Outcome(deleted, gone, kept);
        });
    }

    /** Why the manifest must stay after all, or empty if it may go. */
    private static Optional<String> changed(List<String> expected, List<String> now, String repository,
            List<ImmutableTagRule> immutable) {
        if (!new HashSet<>(now).equals(new HashSet<>(expected))) {
            return Optional.of("kept: its tags changed during the execution (" + now + " instead of " + expected + ")");
        }
        for (String tag : now) {
            Optional<ImmutableTagRule> rule = ImmutableTagRule.firstMatch(immutable, repository, tag);
            if (rule.isPresent()) {
                return Optional.of("kept: tag " + tag + " became immutable during the execution ("
                        + rule.get().describe() + ")");
            }
        }
        return Optional.empty();
    }

    private static String immutableRules(Connection c, long projectId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT immutable_tag_rules::text FROM projects WHERE id = ?")) {
            ps.setLong(1, projectId);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "[]";
            }
        }
    }

    private static List<String> blobReferences(Connection c, Long[] ids) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var ps = c.prepareStatement(
                "SELECT digest FROM manifest_references WHERE manifest_id = ANY (?) AND kind = 'blob'")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
