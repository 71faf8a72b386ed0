package io.berth.registry.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Reference;
import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RepositoryName;
import io.berth.registry.metadata.ManifestRepository;
import io.berth.registry.metadata.ScannedManifest;
import io.berth.registry.metadata.StoredManifest;
import io.berth.security.policy.VulnerabilityPolicy;
import io.berth.security.policy.VulnerabilityPolicy.Finding;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pull gate (issue #22, docs/security.md "The pull gate"): a manifest GET of a project whose
 * vulnerability policy has {@code preventPull} is refused with 403 DENIED when scanner-bridge
 * recorded, in {@code manifest_scans.gate}, a vulnerability at or above the policy's severity
 * that neither the project's nor the system's allowlist covers (an entry matches any of the
 * finding's ids, until it expires); or, with {@code "unscanned": "deny"}, when no scan of the
 * artifact ever finished. The message names the count per severity and the report's path.
 *
 * <p>Cost: for a project without {@code preventPull}, a map lookup ({@link PullGatePolicies})
 * and the usual query. For a gated one, the same single query with {@code manifest_scans} joined
 * on its primary key. An index is gated by its own row (scanner-bridge writes the union of its
 * children's there), and each child by its own when fetched by digest. HEAD is never gated.
 */
@ApplicationScoped
public class PullGate {

    private final PullGatePolicies policies;
    private final ManifestRepository manifests;
    private final ReadGate reads;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    public PullGate(PullGatePolicies policies, ManifestRepository manifests, ReadGate reads, ObjectMapper json) {
        this.policies = policies;
        this.manifests = manifests;
        this.reads = reads;
        this.json = json;
    }

    /**
     * The policy that gates pulls from {@code name}'s project, or null if none does (the caller
     * then reads the manifest as it always did).
     */
    public VulnerabilityPolicy policyOf(RepositoryName name) {
        return policies.current().gated().get(name.project());
    }

    /**
     * Reads the manifest with its scan (one query, within the manifest reads' {@link ReadGate})
     * and lets it through or refuses it.
     *
     * @throws io.berth.oci.RegistryException NAME_UNKNOWN or MANIFEST_UNKNOWN as a plain read
     * @throws PolicyException DENIED if the policy refuses the pull
     */
    public StoredManifest pull(RepositoryName name, Reference reference, VulnerabilityPolicy policy) {
        ScannedManifest found = reads.read(() -> manifests.getScanned(name, reference, policy.severitiesAtOrAbove()));
        check(name, found, policy);
        return found.manifest();
    }

    void check(RepositoryName name, ScannedManifest found, VulnerabilityPolicy policy) {
        List<Finding> findings = findings(found.findings());
        Map<String, Integer> counts = policy.blocking(findings, policies.current().systemAllowlist(), clock.instant());
        String digest = found.manifest().digest();
        String artifact = artifactPath(name, digest);
        if (!counts.isEmpty()) {
            List<String> parts = new ArrayList<>();
            counts.forEach((severity, n) -> parts.add(n + " " + severity));
            Map<String, Object> detail = detail(name, digest);
            detail.put("severity", policy.severity());
            detail.put("counts", counts);
            detail.put("report", "GET " + artifact + "/vulnerabilities");
            throw new PolicyException(RegistryErrorCode.DENIED, "pull of " + name.value() + "@" + digest
                    + " refused by the vulnerability policy of project " + name.project() + ": " + String.join(", ", parts)
                    + " (at or above " + policy.severity() + ", not allowlisted); the report: GET " + artifact
                    + "/vulnerabilities", detail);
        }
        if (!found.hasReport() && policy.deniesUnscanned()) {
            String status = found.scanStatus() == null ? "none" : found.scanStatus();
            Map<String, Object> detail = detail(name, digest);
            detail.put("scan", status);
            detail.put("report", "GET " + artifact + "/vulnerabilities");
            throw new PolicyException(RegistryErrorCode.DENIED, "pull of " + name.value() + "@" + digest
                    + " refused: it has no finished scan (scan: " + status + ") and the vulnerability policy of project "
                    + name.project() + " denies unscanned artifacts; scan it: POST " + artifact + "/scan", detail);
        }
    }

    /** The artifact's path in the API: {@code /api/v1/projects/{p}/repositories/{r}/artifacts/{digest}}. */
    static String artifactPath(RepositoryName name, String digest) {
        String repository = name.path().isEmpty() ? name.value() : name.path();
        return "/api/v1/projects/" + name.project() + "/repositories/" + repository + "/artifacts/" + digest;
    }

    private static Map<String, Object> detail(RepositoryName name, String digest) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("project", name.project());
        detail.put("repository", name.value());
        detail.put("digest", digest);
        return detail;
    }

    /**
     * The findings the database passed on (already at or above the threshold). An entry without
     * ids still counts (nothing can allowlist it); one that is not an object is skipped.
     */
    private List<Finding> findings(String array) {
        if (array == null) {
            return List.of();
        }
        JsonNode root;
        try {
            root = json.readTree(array);
        } catch (JsonProcessingException e) {
            // jsonb_agg always yields valid JSON; this is Jackson's checked signature.
            throw new IllegalStateException("manifest_scans.gate cannot be read", e);
        }
        List<Finding> findings = new ArrayList<>(root.size());
        for (JsonNode entry : root) {
            if (!entry.isObject()) {
                continue;
            }
            List<String> ids = new ArrayList<>();
            for (JsonNode id : entry.path("ids")) {
                if (id.isTextual()) {
                    ids.add(id.asText());
                }
            }
            findings.add(new Finding(ids, entry.path("severity").asText(null)));
        }
        return findings;
    }
}
