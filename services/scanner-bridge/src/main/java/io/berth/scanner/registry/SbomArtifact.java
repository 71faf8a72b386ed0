package io.berth.scanner.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The OCI artifact an SBOM is pushed as (ADR 0035): an image manifest with
 * {@code artifactType application/vnd.cyclonedx+json}, the OCI empty descriptor as its config,
 * one layer holding the SBOM (titled {@code sbom.cdx.json}, the name {@code oras pull} saves it
 * under) and {@code subject} = the scanned manifest, so the referrers API lists it beside
 * signatures. Every field is a function of the SBOM and the subject: the same SBOM of the same
 * manifest is the same artifact, byte for byte.
 *
 * @param manifest the manifest's bytes
 * @param digest their digest
 * @param sbom the layer's bytes
 * @param sbomDigest the layer's digest
 */
public record SbomArtifact(byte[] manifest, String digest, byte[] sbom, String sbomDigest) {

    public static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    public static final String ARTIFACT_TYPE = "application/vnd.cyclonedx+json";
    public static final String EMPTY_TYPE = "application/vnd.oci.empty.v1+json";
    /** The OCI empty descriptor's content, {@code {}}. */
    public static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);
    public static final String EMPTY_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The subject: the scanned manifest as the registry holds it. */
    public record Subject(String mediaType, String digest, long size) {}

    /** The artifact of {@code sbom} (CycloneDX JSON bytes) attached to {@code subject}. */
    public static SbomArtifact of(byte[] sbom, Subject subject) {
        String sbomDigest = sha256(sbom);
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MANIFEST_TYPE);
        root.put("artifactType", ARTIFACT_TYPE);
        ObjectNode config = root.putObject("config");
        config.put("mediaType", EMPTY_TYPE);
        config.put("digest", EMPTY_DIGEST);
        config.put("size", EMPTY.length);
        ObjectNode layer = root.putArray("layers").addObject();
        layer.put("mediaType", ARTIFACT_TYPE);
        layer.put("digest", sbomDigest);
        layer.put("size", sbom.length);
        layer.putObject("annotations").put("org.opencontainers.image.title", "sbom.cdx.json");
        ObjectNode s = root.putObject("subject");
        s.put("mediaType", subject.mediaType());
        s.put("digest", subject.digest());
        s.put("size", subject.size());
        ObjectNode annotations = root.putObject("annotations");
        // No created time: it would make every rescan's artifact a new one (ADR 0035).
        annotations.put("org.opencontainers.image.description", "CycloneDX SBOM by berth's built-in scanner");
        annotations.put("org.opencontainers.image.vendor", "berth");
        annotations.put("io.berth.sbom.subject", subject.digest());
        byte[] manifest;
        try {
            manifest = JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a manifest Jackson cannot write: " + e.getMessage(), e);
        }
        return new SbomArtifact(manifest, sha256(manifest), sbom, sbomDigest);
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
