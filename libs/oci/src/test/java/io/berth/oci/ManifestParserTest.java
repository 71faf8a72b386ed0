package io.berth.oci;

import static io.berth.oci.SampleManifests.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Manifests that must be accepted, and what the parser makes of them. */
class ManifestParserTest {

    private static Manifest parse(String json, String contentType) {
        return ManifestParser.parse(bytes(json), contentType, DigestAlgorithm.SHA256);
    }

    @Test
    void ociImageManifest() {
        byte[] body = bytes(SampleManifests.OCI_IMAGE);
        Manifest m = ManifestParser.parse(body, MediaTypes.OCI_MANIFEST, DigestAlgorithm.SHA256);

        assertEquals(ManifestKind.OCI_MANIFEST, m.kind());
        assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
        assertFalse(m.isIndex());
        assertEquals(Descriptor.of(MediaTypes.OCI_CONFIG, SampleManifests.CONFIG, 1470), m.config());
        assertEquals(2, m.layers().size());
        assertEquals(Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, SampleManifests.LAYER1, 3370706),
                m.layers().get(0));
        assertEquals(Map.of("org.opencontainers.image.title", "app.tar"),
                m.layers().get(1).annotations());
        assertEquals(List.of(m.config(), m.layers().get(0), m.layers().get(1)), m.blobReferences());
        assertEquals(List.of(), m.manifests());
        assertEquals(List.of(), m.manifestReferences());
        assertNull(m.subject());
        // No artifactType field: an image manifest is typed by its config.
        assertEquals(MediaTypes.OCI_CONFIG, m.artifactType());
        assertEquals(List.of("org.opencontainers.image.created", "org.opencontainers.image.source"),
                List.copyOf(m.annotations().keySet()), "document order is kept");
        assertEquals(Digest.sha256(body), m.digest());
        assertEquals(body.length, m.size());
    }

    @Test
    void digestIsOfTheExactBytesNotAReserialisation() {
        String compact = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"a/b\",\"digest\":\"" + SampleManifests.CONFIG
                + "\",\"size\":1},\"layers\":[]}";
        String spaced = compact.replace(",", " ,\n ");
        Manifest a = parse(compact, null);
        Manifest b = parse(spaced, null);
        assertEquals(a.config(), b.config());
        assertEquals(Digest.sha256(bytes(spaced)), b.digest());
        assertFalse(a.digest().equals(b.digest()));
        assertTrue(a.layers().isEmpty(), "an empty layers array is accepted");
    }

    @Test
    void ociArtifactWithEmptyConfigAndSubject() {
        Manifest m = parse(SampleManifests.OCI_ARTIFACT, MediaTypes.OCI_MANIFEST);

        assertEquals(ManifestKind.OCI_MANIFEST, m.kind());
        assertEquals("application/vnd.dev.cosign.artifact.sig.v1+json", m.artifactType());
        assertEquals(Descriptor.of(MediaTypes.OCI_EMPTY, MediaTypes.EMPTY_DESCRIPTOR_DIGEST,
                MediaTypes.EMPTY_DESCRIPTOR_SIZE), m.config());
        assertEquals(Descriptor.of(MediaTypes.OCI_MANIFEST, SampleManifests.SUBJECT, 1024),
                m.subject());
        assertFalse(m.blobReferences().contains(m.subject()), "a subject need not exist");
    }

    @Test
    void ociIndexWithPlatforms() {
        Manifest m = parse(SampleManifests.OCI_INDEX, MediaTypes.OCI_INDEX);

        assertEquals(ManifestKind.OCI_INDEX, m.kind());
        assertTrue(m.isIndex());
        assertNull(m.config());
        assertEquals(List.of(), m.layers());
        assertEquals(List.of(), m.blobReferences());
        assertEquals(2, m.manifests().size());
        assertEquals(m.manifests(), m.manifestReferences());
        Descriptor amd64 = m.manifests().get(0);
        assertEquals(SampleManifests.AMD64, amd64.digest());
        assertEquals(new Platform("amd64", "linux", null), amd64.platform());
        assertEquals(new Platform("arm64", "linux", "v8"), m.manifests().get(1).platform());
        assertEquals("linux/arm64/v8", m.manifests().get(1).platform().toString());
        assertNull(m.artifactType(), "an index without artifactType has none");
        assertEquals(Map.of("org.opencontainers.image.ref.name", "1.0"), m.annotations());
    }

    @Test
    void ociIndexArtifactTypeComesFromTheField() {
        String json = SampleManifests.OCI_INDEX.replace("\"manifests\"",
                "\"artifactType\": \"application/vnd.example.bundle\", \"manifests\"");
        assertEquals("application/vnd.example.bundle", parse(json, null).artifactType());
    }

    @Test
    void dockerSchema2Manifest() {
        Manifest m = parse(SampleManifests.DOCKER_IMAGE, MediaTypes.DOCKER_MANIFEST);

        assertEquals(ManifestKind.DOCKER_MANIFEST, m.kind());
        assertEquals(MediaTypes.DOCKER_MANIFEST, m.mediaType());
        assertEquals(Descriptor.of(MediaTypes.DOCKER_CONFIG, SampleManifests.CONFIG, 7023), m.config());
        assertEquals(List.of(Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, SampleManifests.LAYER1, 32654)),
                m.layers());
        assertEquals(MediaTypes.DOCKER_CONFIG, m.artifactType());
    }

    @Test
    void dockerManifestList() {
        Manifest m = parse(SampleManifests.DOCKER_LIST, MediaTypes.DOCKER_MANIFEST_LIST);

        assertEquals(ManifestKind.DOCKER_MANIFEST_LIST, m.kind());
        assertTrue(m.isIndex());
        assertEquals(List.of(SampleManifests.AMD64, SampleManifests.ARM64),
                m.manifestReferences().stream().map(Descriptor::digest).toList());
        assertEquals(new Platform("ppc64le", "linux", null), m.manifests().get(0).platform());
        assertEquals(new Platform("arm", "linux", "v7"), m.manifests().get(1).platform());
    }

    @Test
    void sha512DigestWhenAsked() {
        byte[] body = bytes(SampleManifests.OCI_IMAGE);
        Manifest m = ManifestParser.parse(body, null, DigestAlgorithm.SHA512);
        assertEquals(DigestAlgorithm.SHA512, m.digest().algorithm());
        assertEquals(Digest.compute(DigestAlgorithm.SHA512, body), m.digest());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "application/vnd.oci.image.manifest.v1+json; charset=utf-8",
        "application/vnd.oci.image.manifest.v1+json;charset=UTF-8",
        "Application/VND.OCI.Image.Manifest.v1+JSON",
        " application/vnd.oci.image.manifest.v1+json "
    })
    void contentTypeParametersAndCaseAreIgnored(String contentType) {
        assertEquals(ManifestKind.OCI_MANIFEST, parse(SampleManifests.OCI_IMAGE, contentType).kind());
    }

    @Test
    void ociManifestWithoutMediaTypeTakesTheContentType() {
        String json = SampleManifests.ociImageWith(
                "\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",", "");
        Manifest m = parse(json, MediaTypes.OCI_MANIFEST);
        assertEquals(ManifestKind.OCI_MANIFEST, m.kind());
        assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
        assertEquals(2, m.layers().size());
    }

    @Test
    void ociIndexWithoutMediaTypeTakesTheContentType() {
        String json = SampleManifests.OCI_INDEX.replace(
                "\"mediaType\": \"application/vnd.oci.image.index.v1+json\",", "");
        assertEquals(ManifestKind.OCI_INDEX, parse(json, MediaTypes.OCI_INDEX + "; charset=utf-8").kind());
    }

    @Test
    void bodyMediaTypeSufficesWithoutContentType() {
        assertEquals(ManifestKind.OCI_INDEX, parse(SampleManifests.OCI_INDEX, null).kind());
        assertEquals(ManifestKind.DOCKER_MANIFEST, parse(SampleManifests.DOCKER_IMAGE, "").kind());
    }

    @Test
    void unknownFieldsAndNullOptionalsAreIgnored() {
        String json = SampleManifests.ociImageWith("\"annotations\": {\n    \"org.opencontainers.image.created\"",
                "\"x-vendor\": {\"deep\": [1, 2, {\"a\": null}]}, \"subject\": null,"
                        + " \"artifactType\": null, \"annotations\": {\n    \"org.opencontainers.image.created\"");
        Manifest m = parse(json, null);
        assertNull(m.subject());
        assertEquals(MediaTypes.OCI_CONFIG, m.artifactType());
    }

    @Test
    void dockerManifestIgnoresOciOnlyFields() {
        // subject and artifactType are not Docker schema 2 fields: unknown, hence ignored.
        String json = SampleManifests.DOCKER_IMAGE.replace("\"config\"",
                "\"subject\": 42, \"artifactType\": \"not a media type\", \"config\"");
        Manifest m = parse(json, null);
        assertNull(m.subject());
        assertEquals(MediaTypes.DOCKER_CONFIG, m.artifactType());
    }

    @Test
    void platformIsOnlyReadOnIndexChildren() {
        String json = SampleManifests.ociImageWith("\"size\": 1470",
                "\"size\": 1470, \"platform\": \"ignored: not defined on a config\"");
        assertNull(parse(json, null).config().platform());
    }

    @Test
    void nullArgumentsAreProgrammingErrors() {
        assertThrows(NullPointerException.class,
                () -> ManifestParser.parse(null, null, DigestAlgorithm.SHA256));
        assertThrows(NullPointerException.class,
                () -> ManifestParser.parse(bytes(SampleManifests.OCI_IMAGE), null, null));
    }
}
