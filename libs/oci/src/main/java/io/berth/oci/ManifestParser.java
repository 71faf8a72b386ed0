package io.berth.oci;

import static io.berth.oci.ManifestFields.describe;
import static io.berth.oci.ManifestFields.invalid;
import static io.berth.oci.ManifestFields.member;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Parses and validates a pushed manifest: an OCI image manifest or index, or a Docker schema 2
 * manifest or manifest list, as {@code PUT /v2/<name>/manifests/<reference>} receives it.
 *
 * <p>Only the document is checked here; whether the blobs and child manifests it references
 * exist is the registry's business ({@link Manifest#blobReferences()},
 * {@link Manifest#manifestReferences()}). Fields the specs do not define are ignored, as they
 * require. The JSON is read with Jackson's tree model only, so a native build needs no
 * reflection configuration.
 *
 * <p>Every failure is a {@link RegistryException} whose detail is one sentence naming the JSON
 * path at fault ({@code layers[2].digest is not a valid digest: ...}):
 * <ul>
 *   <li>MANIFEST_INVALID: not a single JSON object (malformed, trailing data, duplicate keys),
 *       no way to tell the kind, {@code Content-Type} and {@code mediaType} disagree,
 *       {@code schemaVersion} is not 2, a required field is missing or of the wrong type, a
 *       descriptor has a bad media type, digest or size, or an annotation is not a string;</li>
 *   <li>UNSUPPORTED: the media type is not one of the four {@link ManifestKind}s, including
 *       Docker schema 1.</li>
 * </ul>
 */
public final class ManifestParser {

    // Duplicate keys are refused: Go clients keep the last value, other parsers the first, and
    // a document two readers see differently must never get a digest.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private static final int MAX_JSON_ERROR = 160;

    private ManifestParser() {
    }

    /**
     * Parses {@code body} as a manifest of the kind its {@code mediaType} field names, or, if
     * it has none, of the kind {@code contentType} names (OCI manifests may omit the field).
     * The digest is computed over {@code body} exactly as given, with {@code algorithm}.
     *
     * @param body the bytes received; never re-serialised
     * @param contentType the request's {@code Content-Type} header, or null; parameters such
     *     as {@code ; charset=utf-8} and case are ignored
     * @param algorithm the algorithm of {@link Manifest#digest()}
     * @throws NullPointerException if {@code body} or {@code algorithm} is null
     * @throws RegistryException MANIFEST_INVALID or UNSUPPORTED, see the class documentation
     */
    public static Manifest parse(byte[] body, String contentType, DigestAlgorithm algorithm) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(algorithm, "algorithm");
        JsonNode root = readObject(body);
        ManifestKind kind = kindOf(root, contentType);
        checkSchemaVersion(root);
        checkUnambiguous(root, kind);

        Descriptor config = null;
        List<Descriptor> layers = List.of();
        List<Descriptor> manifests = List.of();
        if (kind.isIndex()) {
            manifests = ManifestFields.descriptors(root, "manifests", true);
        } else {
            config = ManifestFields.descriptor(member(root, "config"), "config", false);
            layers = ManifestFields.descriptors(root, "layers", false);
        }
        // subject and artifactType exist only in OCI 1.1; in a Docker manifest they are
        // unknown fields, which the specs say to ignore.
        Descriptor subject = null;
        String declaredType = null;
        if (kind.isOci()) {
            JsonNode s = member(root, "subject");
            subject = s == null ? null : ManifestFields.descriptor(s, "subject", false);
            declaredType = ManifestFields.mediaType(root, "", false, "artifactType");
        }
        Map<String, String> annotations = ManifestFields.annotations(root, "");
        return new Manifest(kind, kind.mediaType(), config, layers, manifests, subject,
                effectiveArtifactType(declaredType, config), annotations,
                Digest.compute(algorithm, body), body.length);
    }

    /**
     * The distribution-spec referrers rule: a manifest's own {@code artifactType} wins; an image
     * manifest without one is typed by its config's media type (how pre-1.1 artifacts such as
     * Helm charts declare their type); an index without one has none.
     */
    static String effectiveArtifactType(String declared, Descriptor config) {
        if (declared != null) {
            return declared;
        }
        return config == null ? null : config.mediaType();
    }

    /** The body as one JSON object, with nothing but whitespace after it. */
    private static JsonNode readObject(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            JsonNode root;
            try {
                root = JSON.readTree(parser);
            } catch (JsonProcessingException e) {
                throw invalid("manifest is not valid JSON at " + where(e.getLocation()) + ": "
                        + jacksonMessage(e));
            }
            if (root == null || root.isMissingNode()) {
                throw invalid("manifest is empty; expected a JSON object");
            }
            if (!root.isObject()) {
                throw invalid("manifest must be a JSON object at the top level, got "
                        + describe(root));
            }
            JsonLocation trailing = null;
            try {
                if (parser.nextToken() != null) {
                    trailing = parser.currentTokenLocation();
                }
            } catch (JsonProcessingException e) {
                // Not even a token: still "data after the object", the clearer message.
                trailing = e.getLocation();
            }
            if (trailing != null) {
                throw invalid("manifest has data after its JSON object, at " + where(trailing));
            }
            return root;
        } catch (IOException e) {
            // Reading a byte array does no I/O; this is Jackson's checked signature.
            throw new RegistryException(RegistryErrorCode.MANIFEST_INVALID,
                    "manifest could not be read as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Jackson's own sentence, without the "(start marker at [Source: ...])" location it
     * appends (the detail gives line and column already), cut to a sane length. No cause is
     * kept on the RegistryException: a client error needs no stack trace.
     */
    private static String jacksonMessage(JsonProcessingException e) {
        String message = Objects.requireNonNullElse(e.getOriginalMessage(), "syntax error");
        for (String tail : List.of(" (start marker at", "[Source:", "\n")) {
            int i = message.indexOf(tail);
            if (i > 0) {
                message = message.substring(0, i);
            }
        }
        return message.length() <= MAX_JSON_ERROR ? message
                : message.substring(0, MAX_JSON_ERROR) + "...";
    }

    private static String where(JsonLocation location) {
        return location == null ? "an unknown position"
                : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /**
     * The body's {@code mediaType} decides; the header must agree with it when both are there,
     * so a registry and a client can never disagree on what a digest points to.
     */
    private static ManifestKind kindOf(JsonNode root, String contentType) {
        String declared = ManifestFields.mediaType(root, "", false);
        String header = contentType == null || contentType.isBlank()
                ? null : MediaTypes.essence(contentType);
        if (isSchema1(declared) || isSchema1(header)
                || (declared == null && header == null && isSchemaVersion(root, 1))) {
            throw RegistryException.of(RegistryErrorCode.UNSUPPORTED,
                    "schema 1 manifests are not supported; push it as Docker schema 2 or OCI");
        }
        if (declared != null && header != null && !header.equals(MediaTypes.essence(declared))) {
            throw invalid("content type " + Inputs.quote(contentType)
                    + " does not match the manifest's mediaType " + Inputs.quote(declared));
        }
        if (declared == null && header == null) {
            throw invalid("mediaType is missing and there is no Content-Type, so the kind of"
                    + " manifest is unknown");
        }
        String source = declared != null ? "mediaType " + Inputs.quote(declared)
                : "content type " + Inputs.quote(contentType);
        ManifestKind kind = ManifestKind.fromMediaType(declared != null ? declared : header)
                .orElseThrow(() -> RegistryException.of(RegistryErrorCode.UNSUPPORTED,
                        source + " is not a supported manifest type (OCI image manifest or"
                                + " index, Docker schema 2 manifest or manifest list)"));
        // The Docker schema 2 specs make the field required, and distribution enforces it;
        // only OCI lets the Content-Type alone carry the type.
        if (declared == null && !kind.isOci()) {
            throw invalid("mediaType is missing; a " + kind.mediaType() + " must declare it");
        }
        return kind;
    }

    private static boolean isSchema1(String mediaType) {
        String t = MediaTypes.essence(mediaType);
        return MediaTypes.DOCKER_MANIFEST_V1.equals(t)
                || MediaTypes.DOCKER_MANIFEST_V1_SIGNED.equals(t);
    }

    private static void checkSchemaVersion(JsonNode root) {
        JsonNode v = member(root, "schemaVersion");
        if (v == null) {
            throw invalid("schemaVersion is missing; it must be 2");
        }
        if (!isSchemaVersion(root, 2)) {
            throw invalid("schemaVersion must be 2, got " + describe(v));
        }
    }

    private static boolean isSchemaVersion(JsonNode root, int version) {
        JsonNode v = member(root, "schemaVersion");
        return v != null && v.isIntegralNumber() && v.canConvertToInt() && v.intValue() == version;
    }

    /**
     * Refuses a document that carries both an index's and an image manifest's fields: clients
     * that guessed the kind from the fields could pull something other than what was
     * validated (CVE-2021-41190; containerd and buildkit refuse such documents too).
     */
    private static void checkUnambiguous(JsonNode root, ManifestKind kind) {
        List<String> foreign = kind.isIndex() ? List.of("config", "layers") : List.of("manifests");
        for (String field : foreign) {
            if (member(root, field) != null) {
                throw invalid(field + " must not appear in a " + kind.mediaType() + ": a document"
                        + " with the fields of both an image manifest and an index is ambiguous");
            }
        }
    }
}
