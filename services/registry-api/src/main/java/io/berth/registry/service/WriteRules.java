package io.berth.registry.service;

import io.berth.oci.Manifest;
import io.berth.oci.MediaTypes;
import io.berth.oci.Reference;
import io.berth.oci.RegistryErrorCode;
import io.berth.registry.config.WriteRulesConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a restricted writer ({@link WriteRulesConfig}) may push: an OCI image manifest, by
 * digest, with no tag (neither the reference nor {@code ?tag=}), with a {@code subject}, whose
 * artifact type is one of the writer's. That is an attachment to an artifact someone else
 * pushed (an SBOM, a signature), which moves no tag and so never changes what a client pulls by
 * name. scanner-bridge's service account is the one berth configures: it holds push in every
 * repository to publish SBOMs, and this rule keeps it to that. Anything else is 403 DENIED
 * naming the rule that was broken.
 */
@ApplicationScoped
public class WriteRules {

    private final Map<String, Set<String>> allowed;
    private final Set<String> sparseIndexWriters;

    public WriteRules(WriteRulesConfig config) {
        this.allowed = toMap(config);
        this.sparseIndexWriters = Set.copyOf(config.sparseIndexWriters());
    }

    /**
     * Whether {@code subject} (the token's; null without one) may push an index whose children
     * are not all in the repository ({@link WriteRulesConfig#sparseIndexWriters()}).
     */
    public boolean maySkipChildren(String subject) {
        return subject != null && sparseIndexWriters.contains(subject);
    }

    private static Map<String, Set<String>> toMap(WriteRulesConfig config) {
        Map<String, Set<String>> map = new java.util.HashMap<>();
        config.restrictedWriters().forEach((subject, rule) -> map.put(subject, Set.copyOf(rule.artifactTypes())));
        return Map.copyOf(map);
    }

    /**
     * Refuses the push of {@code manifest} as {@code reference} with {@code tags} if
     * {@code subject} (the token's) is a restricted writer and the push breaks its rule.
     *
     * @param subject the token's subject; null (no token) is not restricted
     * @throws PolicyException DENIED, naming what is not allowed
     */
    public void checkPush(String subject, Reference reference, List<String> tags, Manifest manifest) {
        Set<String> types = subject == null ? null : allowed.get(subject);
        if (types == null) {
            return;
        }
        String refusal = null;
        if (!reference.isDigest() || !tags.isEmpty()) {
            refusal = "pushes by digest only, without tags";
        } else if (!MediaTypes.OCI_MANIFEST.equals(manifest.mediaType())) {
            refusal = "pushes OCI image manifests only (this is " + manifest.mediaType() + ")";
        } else if (manifest.subject() == null) {
            refusal = "pushes only artifacts with a subject (attached to another manifest)";
        } else if (manifest.artifactType() == null || !types.contains(manifest.artifactType())) {
            refusal = "pushes only artifacts of type " + String.join(", ", new TreeSet<>(types))
                    + " (this is " + (manifest.artifactType() == null ? "untyped" : manifest.artifactType()) + ")";
        }
        if (refusal != null) {
            throw new PolicyException(RegistryErrorCode.DENIED, subject + " " + refusal
                    + " (berth.registry.restricted-writers)", Map.of("subject", subject, "rule", refusal));
        }
    }
}
