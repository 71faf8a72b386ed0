package io.berth.scanner.registry;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Pushes the built-in scanner's SBOMs to the scanned artifact's repository as OCI artifacts
 * ({@link SbomArtifact}) through registry-api, with scanner-bridge's service account
 * ({@link ServiceTokens}), and records the pushed digest in {@code scan_reports.sbom_digest}.
 *
 * <p>Durable: a report with an SBOM and no {@code sbom_digest} is pending in PostgreSQL
 * (V22). Each poll claims due ones with {@code FOR UPDATE SKIP LOCKED} and leases them by
 * moving {@code sbom_publish_after} ahead, so replicas never push the same SBOM at once and one
 * that died mid-push leaves it to another after the lease. A failed push (registry or auth
 * down, a refusal) counts the attempt, keeps its reason in {@code sbom_publish_error} and backs
 * off ({@code retry-backoff}, doubling, at most {@code max-backoff}), forever: nothing is given
 * up. Without a secret nothing is claimed and the reason is logged once and shown by the health
 * check ({@link #waiting}). Only the SBOM that is still the report's is recorded as pushed: one
 * that a rescan replaced meanwhile stays pending.
 *
 * <p>Thread: {@code berth-sbom-publisher}, a daemon, when {@code berth.scanner.sbom.publish}.
 */
@ApplicationScoped
public class SbomPublisher {

    private static final Logger LOG = Logger.getLogger(SbomPublisher.class);
    private static final Set<String> PULL_PUSH = Set.of("pull", "push");

    /** A claimed SBOM: its report's keys, its bytes, and the manifest it describes. */
    record Due(long manifestId, long scannerId, String sbom, int attempts, String repository,
            SbomArtifact.Subject subject) {}

    private final DataSource db;
    private final ServiceTokens tokens;
    private final SbomPublishConfig config;
    private final RegistryPusher pusher;
    private volatile String waiting;
    private ScheduledExecutorService loop;

    public SbomPublisher(DataSource db, ServiceTokens tokens, SbomPublishConfig config, RegistryClientConfig registry) {
        this.db = db;
        this.tokens = tokens;
        this.config = config;
        this.pusher = new RegistryPusher(registry.url(), registry.timeout());
    }

    void start(@Observes StartupEvent started) {
        if (!config.publish()) {
            return;
        }
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "berth-sbom-publisher");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(this::tick, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        tokens.missing().ifPresent(this::waitingBecause);
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (loop != null) {
            loop.shutdownNow();
        }
    }

    /** Why publication waits now (no secret, the last push's failure), or empty when it works. */
    public Optional<String> waiting() {
        return Optional.ofNullable(waiting);
    }

    /** The registry SBOMs go to. */
    public String registryUrl() {
        return pusher.baseUrl();
    }

    private void tick() {
        try {
            publishDue(pusher);
        } catch (RuntimeException e) {
            LOG.warnf("SBOM publication: %s", e.toString());
        }
    }

    /**
     * Claims the due SBOMs and pushes them to {@code to}, once: what the publisher's thread does
     * every {@code poll-interval} with the configured registry (tests call it with their own).
     *
     * @return how many were pushed
     */
    public int publishDue(RegistryPusher to) {
        Optional<String> missing = tokens.missing();
        if (missing.isPresent()) {
            waitingBecause(missing.get() + "; SBOMs stay pending until it is");
            return 0;
        }
        List<Due> due;
        try {
            due = claim();
        } catch (SQLException e) {
            waitingBecause("the database cannot be read: " + e.getMessage());
            return 0;
        }
        int pushed = 0;
        for (Due d : due) {
            SbomArtifact artifact = SbomArtifact.of(d.sbom().getBytes(StandardCharsets.UTF_8), d.subject());
            try {
                to.push(d.repository(), artifact, tokens.bearer(d.repository(), PULL_PUSH));
            } catch (ServiceTokenException | RegistryPushException e) {
                failed(d, e.getMessage());
                continue;
            }
            try {
                if (recordPushed(d, artifact.digest())) {
                    pushed++;
                }
                if (waiting != null) {
                    LOG.infof("SBOM publication works again (%s)", to.baseUrl());
                    waiting = null;
                }
            } catch (SQLException e) {
                // Pushed but not recorded: the lease ends and the same bytes are pushed again, a no-op.
                waitingBecause("the database cannot be written: " + e.getMessage());
            }
        }
        return pushed;
    }

    private List<Due> claim() throws SQLException {
        List<Due> due = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                WITH due AS (
                    SELECT r.manifest_id, r.scanner_id FROM scan_reports r
                    JOIN scanners sc ON sc.id = r.scanner_id AND sc.kind = 'builtin'
                    WHERE r.sbom IS NOT NULL AND r.sbom_digest IS NULL AND r.status = 'success'
                      AND r.sbom_publish_after <= now()
                    ORDER BY r.sbom_publish_after LIMIT ?
                    FOR UPDATE OF r SKIP LOCKED)
                UPDATE scan_reports r SET sbom_publish_after = now() + make_interval(secs => ?)
                FROM due, manifests m, repositories rp
                WHERE r.manifest_id = due.manifest_id AND r.scanner_id = due.scanner_id
                  AND m.id = r.manifest_id AND rp.id = m.repository_id
                RETURNING r.manifest_id, r.scanner_id, r.sbom::text, r.sbom_publish_attempts, rp.name,
                    m.media_type, m.digest, m.size""")) {
            s.setInt(1, config.batch());
            s.setDouble(2, config.lease().toMillis() / 1000.0);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    due.add(new Due(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                            new SbomArtifact.Subject(rs.getString(6), rs.getString(7), rs.getLong(8))));
                }
            }
        }
        return due;
    }

    private boolean recordPushed(Due d, String digest) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                UPDATE scan_reports SET sbom_digest = ?, sbom_publish_error = NULL
                WHERE manifest_id = ? AND scanner_id = ? AND sbom_digest IS NULL AND sbom = ?::jsonb""")) {
            s.setString(1, digest);
            s.setLong(2, d.manifestId());
            s.setLong(3, d.scannerId());
            s.setString(4, d.sbom());
            boolean recorded = s.executeUpdate() == 1;
            LOG.debugf("SBOM of %s@%s pushed as %s%s", d.repository(), d.subject().digest(), digest,
                    recorded ? "" : " (the report changed meanwhile; its new SBOM follows)");
            return recorded;
        }
    }

    private void failed(Due d, String reason) {
        Duration wait = backoff(d.attempts() + 1);
        waitingBecause("the SBOM of " + d.repository() + "@" + d.subject().digest() + " could not be pushed, "
                + "tried again in " + wait.toSeconds() + " s: " + reason);
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                UPDATE scan_reports SET sbom_publish_attempts = sbom_publish_attempts + 1, sbom_publish_error = ?,
                    sbom_publish_after = now() + make_interval(secs => ?)
                WHERE manifest_id = ? AND scanner_id = ? AND sbom_digest IS NULL""")) {
            s.setString(1, reason);
            s.setDouble(2, wait.toMillis() / 1000.0);
            s.setLong(3, d.manifestId());
            s.setLong(4, d.scannerId());
            s.executeUpdate();
        } catch (SQLException e) {
            // The lease ends on its own; the SBOM is tried again then.
            LOG.warnf("could not record a failed SBOM push: %s", e.getMessage());
        }
    }

    /** The wait after {@code attempts} failures: retry-backoff doubled per further failure, capped. */
    Duration backoff(int attempts) {
        Duration wait = config.retryBackoff();
        for (int i = 1; i < attempts && wait.compareTo(config.maxBackoff()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : wait;
    }

    private void waitingBecause(String reason) {
        if (!reason.equals(waiting)) {
            LOG.warnf("SBOM publication waits: %s", reason);
        }
        waiting = reason;
    }
}
