package io.berth.scanner.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * "Which artifacts are affected by CVE-X": the artifacts whose report has a finding with that id
 * or alias ({@code scan_findings.ids}, a GIN index), one page and its total in one statement. By
 * default each artifact's report by the scanner that applies to its project counts (the one the
 * browsing API shows); a named scanner's reports otherwise.
 */
@ApplicationScoped
public class AffectedArtifacts {

    private static final String PAGE = """
            WITH hit AS (
                SELECT f.manifest_id, f.scanner_id,
                    min(CASE lower(f.severity) WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2
                        WHEN 'low' THEN 3 ELSE 4 END) AS rank,
                    array_agg(DISTINCT f.package ORDER BY f.package) AS packages,
                    array_agg(DISTINCT f.advisory_id ORDER BY f.advisory_id) AS advisories
                FROM scan_findings f WHERE f.ids && ?::text[]
                GROUP BY f.manifest_id, f.scanner_id),
            a AS (
                SELECT h.*, m.digest, p.name AS project, substr(r.name, length(p.name) + 2) AS repository,
                    s.name AS scanner
                FROM hit h
                JOIN manifests m ON m.id = h.manifest_id
                JOIN repositories r ON r.id = m.repository_id
                JOIN projects p ON p.id = r.project_id
                JOIN scanners s ON s.id = h.scanner_id
                LEFT JOIN project_scanners ps ON ps.project_id = p.id
                WHERE (?::text[] IS NULL OR p.name = ANY (?::text[]))
                    AND CASE WHEN ?::text IS NULL
                        THEN h.scanner_id = coalesce(ps.scanner_id, (SELECT id FROM scanners WHERE is_default))
                        ELSE s.name = ? END),
            page AS (
                SELECT * FROM a ORDER BY project COLLATE "C", repository COLLATE "C", digest LIMIT ? OFFSET ?)
            SELECT (SELECT count(*) FROM a), pg.project, pg.repository, pg.digest,
                (SELECT array_agg(t.name ORDER BY t.name COLLATE "C") FROM tags t WHERE t.manifest_id = pg.manifest_id),
                pg.rank, pg.packages, pg.advisories, pg.scanner
            FROM (SELECT 1) one
            LEFT JOIN page pg ON true
            ORDER BY pg.project COLLATE "C", pg.repository COLLATE "C", pg.digest""";

    private static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low", "unknown");

    private final DataSource db;

    public AffectedArtifacts(DataSource db) {
        this.db = db;
    }

    /**
     * An affected artifact.
     *
     * @param repository the path within the project
     * @param tags its tags, in byte order
     * @param severity the highest severity of its findings with the id
     * @param packages the packages in which the id was found
     * @param advisories the advisory ids of those findings (the id asked for, or the one it is an alias of)
     */
    public record Affected(String project, String repository, String digest, List<String> tags, String severity,
            List<String> packages, List<String> advisories, String scanner) {}

    /** A page of them, and how many there are in all. */
    public record Page(long total, List<Affected> items) {}

    /**
     * The artifacts whose report names {@code id} (as given, or upper-cased: CVE ids are written both ways).
     *
     * @param projects the projects to look in, or null for all
     * @param scanner a scanner's name, or null for the one that applies to each project
     */
    public Page find(String id, Set<String> projects, String scanner, long offset, int limit) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(PAGE)) {
            String upper = id.toUpperCase(java.util.Locale.ROOT);
            ps.setArray(1, c.createArrayOf("text", upper.equals(id) ? new String[] {id} : new String[] {id, upper}));
            Array names = projects == null ? null : c.createArrayOf("text", projects.toArray());
            ps.setArray(2, names);
            ps.setArray(3, names);
            ps.setString(4, scanner);
            ps.setString(5, scanner);
            ps.setInt(6, limit);
            ps.setLong(7, offset);
            long total = 0;
            List<Affected> items = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    total = rs.getLong(1);
                    if (rs.getString(2) != null) {
                        items.add(new Affected(rs.getString(2), rs.getString(3), rs.getString(4), strings(rs.getArray(5)),
                                SEVERITIES.get(rs.getInt(6)), strings(rs.getArray(7)), strings(rs.getArray(8)),
                                rs.getString(9)));
                    }
                }
            }
            return new Page(total, items);
        } catch (SQLException e) {
            throw ScanTargets.failure("find affected artifacts", e);
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
