package io.berth.scanner.flow;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Descriptor;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.Manifest;
import io.berth.oci.ManifestParser;
import io.berth.oci.RegistryException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The scan of an index (OCI index, Docker manifest list): its children are scanned as their own
 * jobs, and its report is the union of theirs.
 *
 * <p>Each time the index's job is claimed it looks at its children (those of its repository):
 * a child with an open job is waited for; a child whose job ended since the index's job was
 * created is done; on a push, a child that already has a successful report (its own push
 * scanned it) is done; any other child gets a job (same trigger and priority). While some child
 * is not done the index's job goes back to the queue without counting an attempt, due after
 * {@code berth.scanner.flow.index-recheck} or as soon as a child ends (the child's end makes its
 * parents due). When all are done it writes the union; if a child failed, the index's report is
 * an {@code error} naming it, still listing what the others found. It waits at most
 * {@code berth.scanner.flow.index-max-wait}.
 */
final class IndexScans {

    private static final TypeReference<List<Vulnerability>> VULNERABILITIES = new TypeReference<>() {};

    /** What one index job step decided. */
    sealed interface Step permits Wait, Done, Failed {}

    /** Some children are not done: the job waits. */
    record Wait(int pending) implements Step {}

    /** All children are done: the union, and the error naming failed children (or null). */
    record Done(ScanResult result, String error) implements Step {}

    /** The index cannot be scanned. */
    record Failed(String error) implements Step {}

    private final ObjectMapper json;
    private final FlowConfig config;

    IndexScans(ObjectMapper json, FlowConfig config) {
        this.json = json;
        this.config = config;
    }

    /** Looks at the children, queues those that need a scan, and says what the index job does next. */
    Step step(Connection c, ScanJob job, ScanTarget target) throws SQLException {
        Manifest index;
        try {
            index = ManifestParser.parse(target.content(), target.mediaType(), DigestAlgorithm.SHA256);
        } catch (RegistryException e) {
            return new Failed("the index cannot be read: " + e.getMessage());
        }
        Set<String> digests = new LinkedHashSet<>();
        for (Descriptor d : index.manifests()) {
            digests.add(d.digest().toString());
        }
        List<Child> children = children(c, job, target, digests);
        List<String> warnings = new ArrayList<>();
        Set<String> found = new LinkedHashSet<>();
        children.forEach(ch -> found.add(ch.digest));
        for (String d : digests) {
            if (!found.contains(d)) {
                warnings.add("child " + d + " is not in the repository, not scanned");
            }
        }
        int pending = 0;
        List<List<Vulnerability>> reports = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Long vulndb = null;
        for (Child ch : children) {
            if (ch.open) {
                pending++;
            } else if ("failed".equals(ch.lastJob)) {
                failed.add(ch.digest + ": " + ch.lastError);
            } else if ("succeeded".equals(ch.lastJob)
                    || ("push".equals(job.trigger()) && "success".equals(ch.reportStatus))) {
                if (!"success".equals(ch.reportStatus)) {
                    failed.add(ch.digest + ": " + (ch.reportError == null ? "no report" : ch.reportError));
                    continue;
                }
                reports.add(read(ch.vulnerabilities));
                if (ch.vulndb != null) {
                    vulndb = vulndb == null ? ch.vulndb : Math.min(vulndb, ch.vulndb);
                }
            } else {
                ScanQueue.enqueue(c, ch.id, job.scannerId(), job.trigger(), job.priority(), null);
                pending++;
            }
        }
        if (pending > 0) {
            if (Duration.between(job.createdAt(), Instant.now()).compareTo(config.indexMaxWait()) > 0) {
                return new Failed(pending + " of the index's " + children.size() + " children were not scanned within "
                        + config.indexMaxWait() + " (berth.scanner.flow.index-max-wait)");
            }
            return new Wait(pending);
        }
        ScanResult union = new ScanResult(Reports.union(reports), null, warnings, vulndb);
        return new Done(union, failed.isEmpty() ? null
                : failed.size() + " of " + children.size() + " children failed: " + String.join("; ", failed));
    }

    private record Child(long id, String digest, boolean open, String lastJob, String lastError, String reportStatus,
            String vulnerabilities, String reportError, Long vulndb) {}

    private static List<Child> children(Connection c, ScanJob job, ScanTarget target, Set<String> digests)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT m.id, m.digest,
                       EXISTS (SELECT 1 FROM scan_jobs o WHERE o.manifest_id = m.id AND o.scanner_id = ?
                               AND o.status IN ('queued', 'running')),
                       last.status, last.error, r.status, r.vulnerabilities::text, r.error, r.vulndb_import_id
                FROM manifests m
                LEFT JOIN scan_reports r ON r.manifest_id = m.id AND r.scanner_id = ?
                LEFT JOIN LATERAL (SELECT j.status, j.error FROM scan_jobs j
                                   WHERE j.manifest_id = m.id AND j.scanner_id = ?
                                     AND j.status IN ('succeeded', 'failed') AND j.finished_at >= ?
                                   ORDER BY j.finished_at DESC LIMIT 1) last ON true
                WHERE m.repository_id = ? AND m.digest = ANY (?) AND m.id <> ?
                ORDER BY m.id""")) {
            s.setLong(1, job.scannerId());
            s.setLong(2, job.scannerId());
            s.setLong(3, job.scannerId());
            s.setTimestamp(4, Timestamp.from(job.createdAt()));
            s.setLong(5, target.repositoryId());
            s.setArray(6, c.createArrayOf("text", digests.toArray()));
            s.setLong(7, target.manifestId());
            List<Child> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long vulndb = rs.getLong(9);
                    out.add(new Child(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.wasNull() ? null : vulndb));
                }
            }
            return out;
        }
    }

    private List<Vulnerability> read(String vulnerabilities) {
        if (vulnerabilities == null) {
            return List.of();
        }
        try {
            return json.readValue(vulnerabilities, VULNERABILITIES);
        } catch (IOException e) {
            throw new IllegalStateException("a stored report that does not read back: " + e.getMessage(), e);
        }
    }
}
