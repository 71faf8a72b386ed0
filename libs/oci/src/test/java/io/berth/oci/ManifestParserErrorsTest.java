package io.berth.oci;

import static io.berth.oci.Assertions2.assertRegistryError;
import static io.berth.oci.RegistryErrorCode.MANIFEST_INVALID;
import static io.berth.oci.RegistryErrorCode.UNSUPPORTED;
import static io.berth.oci.SampleManifests.bytes;
import static io.berth.oci.SampleManifests.ociImageWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Manifests that must be refused: the exact error code, and a detail naming the JSON path. */
class ManifestParserErrorsTest {

    /** Asserts parsing fails with {@code code} and a detail containing each of {@code mentions}. */
    private static String assertRefused(RegistryErrorCode code, String json, String contentType,
            String... mentions) {
        RegistryException e = assertRegistryError(code,
                () -> ManifestParser.parse(bytes(json), contentType, DigestAlgorithm.SHA256));
        String detail = e.detail().toString();
        for (String m : mentions) {
            assertTrue(detail.contains(m), () -> "detail should mention " + m + ": " + detail);
        }
        return detail;
    }

    @Test
    void malformedJson() {
        String detail = assertRefused(MANIFEST_INVALID, "{\"schemaVersion\": 2,\n \"config\": {", null,
                "not valid JSON", "line 2", "end-of-input");
        assertFalse(detail.contains("Source"), "no Jackson location noise: " + detail);
        assertRefused(MANIFEST_INVALID, "{\"schemaVersion\": 2 \"layers\": []}", null,
                "not valid JSON", "line 1, column");
    }

    @Test
    void emptyBody() {
        assertRefused(MANIFEST_INVALID, "", MediaTypes.OCI_MANIFEST, "empty");
        assertRefused(MANIFEST_INVALID, " \n", MediaTypes.OCI_MANIFEST, "empty");
    }

    @Test
    void arrayAtTopLevel() {
        assertRefused(MANIFEST_INVALID, "[" + SampleManifests.OCI_IMAGE + "]", MediaTypes.OCI_MANIFEST,
                "JSON object at the top level", "an array");
    }

    @Test
    void trailingGarbageAfterTheObject() {
        assertRefused(MANIFEST_INVALID, "{\"schemaVersion\": 2} x", MediaTypes.OCI_MANIFEST,
                "data after its JSON object", "line 1, column 22");
        assertRefused(MANIFEST_INVALID, "{\"schemaVersion\": 2}]", MediaTypes.OCI_MANIFEST,
                "data after its JSON object", "line 1, column 21");
        // A second document is garbage too: only one manifest may have this digest.
        assertRefused(MANIFEST_INVALID, SampleManifests.OCI_IMAGE + "{}", null,
                "data after its JSON object",
                "line " + (SampleManifests.OCI_IMAGE.lines().count() + 1) + ", column 1");
    }

    @Test
    void duplicateKeys() {
        assertRefused(MANIFEST_INVALID,
                ociImageWith("\"schemaVersion\": 2,", "\"schemaVersion\": 2, \"schemaVersion\": 2,"),
                null, "Duplicate", "schemaVersion");
    }

    @Test
    void schemaVersion1() {
        assertRefused(MANIFEST_INVALID, ociImageWith("\"schemaVersion\": 2", "\"schemaVersion\": 1"),
                null, "schemaVersion must be 2, got 1");
        assertRefused(MANIFEST_INVALID, ociImageWith("\"schemaVersion\": 2", "\"schemaVersion\": \"2\""),
                null, "schemaVersion must be 2");
        assertRefused(MANIFEST_INVALID, ociImageWith("\"schemaVersion\": 2,", ""),
                null, "schemaVersion is missing");
    }

    @Test
    void missingConfig() {
        String json = SampleManifests.DOCKER_IMAGE.replaceFirst("(?s)\"config\": \\{.*?},", "");
        assertRefused(MANIFEST_INVALID, json, null, "config is missing");
        assertRefused(MANIFEST_INVALID, ociImageWith("\"config\": {", "\"config\": [], \"x\": {"),
                null, "config must be an object, got an array");
    }

    @Test
    void layersNotAnArray() {
        assertRefused(MANIFEST_INVALID, ociImageWith("\"layers\": [", "\"layers\": {\"a\": 1}, \"x\": ["),
                null, "layers must be an array, got an object");
        assertRefused(MANIFEST_INVALID, SampleManifests.OCI_INDEX.replace("\"manifests\"", "\"x\""),
                null, "manifests is missing");
    }

    @Test
    void descriptorMissingDigest() {
        String json = ociImageWith("\"digest\": \"" + SampleManifests.LAYER1 + "\",", "");
        assertRefused(MANIFEST_INVALID, json, null, "layers[0].digest is missing");
    }

    @Test
    void badDigestInSecondLayer() {
        String json = ociImageWith(SampleManifests.LAYER2.toString(), "sha256:xyz");
        String detail = assertRefused(MANIFEST_INVALID, json, null,
                "layers[1].digest is not a valid digest");
        assertTrue(detail.contains("64 hex"), detail);
    }

    @Test
    void unsupportedDigestAlgorithmInsideAManifestIsInvalidNotDigestInvalid() {
        String json = ociImageWith(SampleManifests.CONFIG.toString(), "md5:d41d8cd98f00b204e9800998ecf8427e");
        assertRefused(MANIFEST_INVALID, json, null, "config.digest", "md5");
    }

    @Test
    void negativeSize() {
        assertRefused(MANIFEST_INVALID, ociImageWith("\"size\": 152", "\"size\": -1"), null,
                "layers[1].size must be an integer of at least 0, got -1");
    }

    @Test
    void sizeNotAnInteger() {
        assertRefused(MANIFEST_INVALID, ociImageWith("\"size\": 1470", "\"size\": \"1470\""), null,
                "config.size", "the string '1470'");
        assertRefused(MANIFEST_INVALID, ociImageWith("\"size\": 1470", "\"size\": 1470.5"), null,
                "config.size", "1470.5");
        assertRefused(MANIFEST_INVALID, ociImageWith("\"size\": 1470", "\"size\": 99999999999999999999"),
                null, "config.size");
        assertRefused(MANIFEST_INVALID, ociImageWith("\"size\": 1470", "\"sizes\": 1470"), null,
                "config.size is missing");
    }

    @Test
    void badDescriptorMediaType() {
        assertRefused(MANIFEST_INVALID,
                ociImageWith(MediaTypes.OCI_LAYER_TAR_GZIP, "application/x tar; gzip"), null,
                "layers[0].mediaType", "type/subtype");
        assertRefused(MANIFEST_INVALID, ociImageWith("\"mediaType\": \"" + MediaTypes.OCI_CONFIG + "\",", ""),
                null, "config.mediaType is missing");
        assertRefused(MANIFEST_INVALID, ociImageWith("\"schemaVersion\": 2,",
                "\"schemaVersion\": 2, \"artifactType\": \"nonsense\","), null, "artifactType 'nonsense'");
    }

    @Test
    void contentTypeDoesNotMatchMediaType() {
        assertRefused(MANIFEST_INVALID, SampleManifests.OCI_IMAGE, MediaTypes.OCI_INDEX,
                "content type '" + MediaTypes.OCI_INDEX + "' does not match the manifest's mediaType '"
                        + MediaTypes.OCI_MANIFEST + "'");
        assertRefused(MANIFEST_INVALID, SampleManifests.DOCKER_IMAGE, MediaTypes.OCI_MANIFEST,
                "does not match the manifest's mediaType");
    }

    @Test
    void unknownMediaTypeIsUnsupported() {
        String artifactManifest = "application/vnd.oci.artifact.manifest.v1+json";
        assertRefused(UNSUPPORTED, ociImageWith(MediaTypes.OCI_MANIFEST, artifactManifest),
                artifactManifest, "mediaType '" + artifactManifest + "'", "not a supported manifest type");
        assertRefused(UNSUPPORTED, ociImageWith("\"mediaType\": \"" + MediaTypes.OCI_MANIFEST + "\",", ""),
                "application/json", "content type 'application/json'");
        assertEquals(415, UNSUPPORTED.status());
    }

    @Test
    void noMediaTypeAnywhere() {
        assertRefused(MANIFEST_INVALID,
                ociImageWith("\"mediaType\": \"" + MediaTypes.OCI_MANIFEST + "\",", ""), null,
                "mediaType is missing", "Content-Type");
    }

    @Test
    void dockerManifestMustDeclareItsMediaType() {
        String json = SampleManifests.DOCKER_IMAGE.replace(
                "\"mediaType\": \"" + MediaTypes.DOCKER_MANIFEST + "\",", "");
        assertRefused(MANIFEST_INVALID, json, MediaTypes.DOCKER_MANIFEST, "mediaType is missing");
    }

    @Test
    void schema1IsUnsupported() {
        String schema1 = """
                {"schemaVersion": 1, "name": "team/app", "tag": "latest", "architecture": "amd64",
                 "fsLayers": [{"blobSum": "%s"}], "history": [{"v1Compatibility": "{}"}]}
                """.formatted(SampleManifests.LAYER1);
        assertRefused(UNSUPPORTED, schema1, MediaTypes.DOCKER_MANIFEST_V1_SIGNED,
                "schema 1 manifests are not supported");
        assertRefused(UNSUPPORTED, schema1, MediaTypes.DOCKER_MANIFEST_V1,
                "schema 1 manifests are not supported");
        assertRefused(UNSUPPORTED, schema1, null, "schema 1 manifests are not supported");
    }

    @Test
    void annotationWithNonStringValue() {
        String json = ociImageWith("\"org.opencontainers.image.source\": \"https://git.example.com/app\"",
                "\"com.example.replicas\": 3");
        assertRefused(MANIFEST_INVALID, json, null,
                "annotations['com.example.replicas'] must be a string, got 3");
        assertRefused(MANIFEST_INVALID, ociImageWith("\"annotations\": {\"org.opencontainers.image.title\"",
                "\"annotations\": {\"t\": null, \"org.opencontainers.image.title\""), null,
                "layers[1].annotations['t'] must be a string, got null");
        assertRefused(MANIFEST_INVALID, ociImageWith("\"annotations\": {\n    \"org.opencontainers.image.created\"",
                "\"annotations\": [], \"x\": {\n    \"org.opencontainers.image.created\""), null,
                "annotations must be an object of strings, got an array");
    }

    @Test
    void badSubject() {
        assertRefused(MANIFEST_INVALID, SampleManifests.OCI_ARTIFACT.replace(
                "\"size\": 1024", "\"size\": -5"), null, "subject.size");
        assertRefused(MANIFEST_INVALID, ociImageWith("\"schemaVersion\": 2,",
                "\"schemaVersion\": 2, \"subject\": \"sha256:abc\","), null,
                "subject must be an object, got the string");
    }

    @Test
    void badPlatformOnIndexChild() {
        assertRefused(MANIFEST_INVALID, SampleManifests.OCI_INDEX.replace(
                "\"architecture\": \"arm64\", ", ""), null, "manifests[1].platform.architecture is missing");
        assertRefused(MANIFEST_INVALID, SampleManifests.DOCKER_LIST.replace(
                "\"variant\": \"v7\"", "\"variant\": 7"), null, "manifests[1].platform.variant must be a string");
    }

    @Test
    void documentsWithTheFieldsOfBothKindsAreRefused() {
        // CVE-2021-41190: a reader guessing by fields must not see an index where we saw an image.
        assertRefused(MANIFEST_INVALID, ociImageWith("\"layers\"", "\"manifests\": [], \"layers\""),
                null, "manifests must not appear", "ambiguous");
        assertRefused(MANIFEST_INVALID, SampleManifests.OCI_INDEX.replace("\"manifests\"",
                "\"layers\": [], \"manifests\""), null, "layers must not appear", "ambiguous");
    }

    @Test
    void hostileInputIsCutInTheDetail() {
        String longType = "application/" + "x".repeat(10_000);
        String detail = assertRefused(MANIFEST_INVALID, ociImageWith(MediaTypes.OCI_MANIFEST, longType),
                null, "mediaType", "is not a media type");
        assertTrue(detail.length() < 300, detail);
        String noMediaType = ociImageWith("\"mediaType\": \"" + MediaTypes.OCI_MANIFEST + "\",", "");
        detail = assertRefused(UNSUPPORTED, noMediaType, longType, "content type");
        assertTrue(detail.length() < 300, detail);
    }
}
