package io.berth.registry.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.registry.metadata.PullGatePolicyRepository;
import io.berth.security.policy.AllowlistEntry;
import io.berth.security.policy.VulnerabilityPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The pull gate's policies as this replica knows them: the vulnerability policy of every project
 * that prevents pulls, and the system allowlist. Held in memory, so a manifest GET of a project
 * without {@code preventPull} costs one map lookup and no query.
 *
 * <p>{@link ReadOnlyMode}'s poll of {@code system_settings} (every second) also reads
 * {@code pull_gate_version}, which V20's triggers move in the same transaction as any change of a
 * project's policy or of the system allowlist; when it moved, {@link #versionSeen} reloads
 * everything here (one query of the gated projects through a partial index, one of the settings
 * row). A change so reaches every replica within about a second, whoever made it.
 *
 * <p>Until a first load succeeds, {@link #current} loads on the request (a failure is the
 * request's 503), so a replica that started while the database was away never serves an
 * ungated pull. A later failed reload keeps the last policies.
 */
@ApplicationScoped
public class PullGatePolicies {

    private static final Logger LOG = Logger.getLogger(PullGatePolicies.class);
    private static final TypeReference<List<AllowlistEntry>> ALLOWLIST = new TypeReference<>() {};

    /**
     * The policies at one {@code pull_gate_version}.
     *
     * @param gated project name to its policy, only projects with {@code preventPull}
     */
    public record Snapshot(long version, Map<String, VulnerabilityPolicy> gated, List<AllowlistEntry> systemAllowlist) {}

    private final PullGatePolicyRepository repository;
    private final ObjectMapper json;
    private volatile Snapshot snapshot;

    public PullGatePolicies(PullGatePolicyRepository repository, ObjectMapper json) {
        this.repository = repository;
        this.json = json;
    }

    /** The policies now; loads them first if no load has succeeded yet. */
    public Snapshot current() {
        Snapshot s = snapshot;
        return s != null ? s : reload();
    }

    /** Reloads if {@code version} is not the one held (from the poll; never throws). */
    void versionSeen(long version) {
        Snapshot s = snapshot;
        if (s != null && s.version() == version) {
            return;
        }
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.warnf("could not reload the pull gate's policies, keeping those of version %s: %s",
                    s == null ? "none" : s.version(), e.getMessage());
        }
    }

    /** Reads everything now (tests call it to skip the poll). */
    public synchronized Snapshot reload() {
        PullGatePolicyRepository.Stored stored = repository.load();
        Map<String, VulnerabilityPolicy> gated = new HashMap<>();
        stored.projectPolicies().forEach((project, policy) -> gated.put(project, parse(project, policy)));
        List<AllowlistEntry> system;
        try {
            system = List.copyOf(json.readValue(stored.systemAllowlist(), ALLOWLIST));
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            LOG.errorf("the system vulnerability allowlist cannot be read, so it allows nothing: %s", e.getMessage());
            system = List.of();
        }
        Snapshot s = new Snapshot(stored.version(), Map.copyOf(gated), system);
        Snapshot before = snapshot;
        if (before == null || before.version() != s.version()) {
            LOG.debugf("pull gate policies at version %d: %d projects prevent pulls", s.version(), gated.size());
        }
        snapshot = s;
        return s;
    }

    /**
     * A stored policy auth validated reads; one that does not (hand-edited SQL) still prevents
     * pulls, at the lowest severity and with no allowlist, rather than opening the gate.
     */
    private VulnerabilityPolicy parse(String project, String policy) {
        try {
            return json.readValue(policy, VulnerabilityPolicy.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.errorf("the vulnerability policy of project %s cannot be read, so its pulls are gated at severity low"
                    + " without an allowlist: %s", project, e.getMessage());
            return VulnerabilityPolicy.of(false, true, "low", List.of());
        }
    }
}
