package io.berth.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTypesTest {

    @Test
    void constantsHaveTheSpecSpelling() {
        assertEquals("application/vnd.oci.image.manifest.v1+json", MediaTypes.OCI_MANIFEST);
        assertEquals("application/vnd.oci.image.index.v1+json", MediaTypes.OCI_INDEX);
        assertEquals("application/vnd.oci.image.config.v1+json", MediaTypes.OCI_CONFIG);
        assertEquals("application/vnd.oci.image.layer.v1.tar", MediaTypes.OCI_LAYER_TAR);
        assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", MediaTypes.OCI_LAYER_TAR_GZIP);
        assertEquals("application/vnd.oci.image.layer.v1.tar+zstd", MediaTypes.OCI_LAYER_TAR_ZSTD);
        assertEquals("application/vnd.oci.empty.v1+json", MediaTypes.OCI_EMPTY);
        assertEquals("application/vnd.docker.distribution.manifest.v2+json", MediaTypes.DOCKER_MANIFEST);
        assertEquals("application/vnd.docker.distribution.manifest.list.v2+json", MediaTypes.DOCKER_MANIFEST_LIST);
        assertEquals("application/vnd.docker.container.image.v1+json", MediaTypes.DOCKER_CONFIG);
        assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip", MediaTypes.DOCKER_LAYER_GZIP);
    }

    @Test
    void emptyDescriptorIsTheDigestOfBraces() {
        byte[] braces = "{}".getBytes(StandardCharsets.US_ASCII);
        assertEquals(MediaTypes.EMPTY_DESCRIPTOR_SIZE, braces.length);
        assertEquals(Digest.sha256(braces), MediaTypes.EMPTY_DESCRIPTOR_DIGEST);
        assertEquals("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
                MediaTypes.EMPTY_DESCRIPTOR_DIGEST.toString());
    }

    @Test
    void manifestsAndIndexes() {
        assertTrue(MediaTypes.isManifest(MediaTypes.OCI_MANIFEST));
        assertTrue(MediaTypes.isManifest(MediaTypes.DOCKER_MANIFEST));
        assertFalse(MediaTypes.isManifest(MediaTypes.OCI_INDEX));
        assertFalse(MediaTypes.isManifest(MediaTypes.DOCKER_MANIFEST_LIST));

        assertTrue(MediaTypes.isIndex(MediaTypes.OCI_INDEX));
        assertTrue(MediaTypes.isIndex(MediaTypes.DOCKER_MANIFEST_LIST));
        assertFalse(MediaTypes.isIndex(MediaTypes.OCI_MANIFEST));
        assertFalse(MediaTypes.isIndex(MediaTypes.DOCKER_MANIFEST));

        assertTrue(MediaTypes.isManifestOrIndex(MediaTypes.OCI_INDEX));
        assertTrue(MediaTypes.isManifestOrIndex(MediaTypes.DOCKER_MANIFEST));
    }

    @Test
    void headerValuesWithParametersAndCaseMatch() {
        assertTrue(MediaTypes.isManifest("application/vnd.oci.image.manifest.v1+json; charset=utf-8"));
        assertTrue(MediaTypes.isIndex(" Application/VND.OCI.Image.Index.v1+JSON "));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "application/json", "application/vnd.oci.image.config.v1+json",
        "application/vnd.oci.empty.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip",
        "application/vnd.docker.distribution.manifest.v1+prettyjws",
        "application/vnd.oci.image.manifest.v1+jsonx",
    })
    void otherTypesAreNeither(String t) {
        assertFalse(MediaTypes.isManifest(t));
        assertFalse(MediaTypes.isIndex(t));
    }

    @Test
    void nullIsNeither() {
        assertFalse(MediaTypes.isManifest(null));
        assertFalse(MediaTypes.isIndex(null));
        assertFalse(MediaTypes.isManifestOrIndex(null));
    }
}
