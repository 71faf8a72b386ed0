package io.berth.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The records' own invariants, independent of JSON. */
class ManifestModelTest {

    private static final Descriptor CONFIG =
            Descriptor.of(MediaTypes.OCI_CONFIG, SampleManifests.CONFIG, 10);

    @Test
    void kindsKnowTheirMediaTypeAndShape() {
        assertEquals(MediaTypes.OCI_MANIFEST, ManifestKind.OCI_MANIFEST.mediaType());
        assertEquals(MediaTypes.OCI_INDEX, ManifestKind.OCI_INDEX.mediaType());
        assertEquals(MediaTypes.DOCKER_MANIFEST, ManifestKind.DOCKER_MANIFEST.mediaType());
        assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, ManifestKind.DOCKER_MANIFEST_LIST.mediaType());
        assertFalse(ManifestKind.OCI_MANIFEST.isIndex());
        assertTrue(ManifestKind.OCI_INDEX.isIndex());
        assertFalse(ManifestKind.DOCKER_MANIFEST.isIndex());
        assertTrue(ManifestKind.DOCKER_MANIFEST_LIST.isIndex());
        for (ManifestKind k : ManifestKind.values()) {
            assertEquals(MediaTypes.isIndex(k.mediaType()), k.isIndex(), k::name);
            assertTrue(MediaTypes.isManifestOrIndex(k.mediaType()), k::name);
        }
    }

    @Test
    void kindFromMediaType() {
        assertEquals(Optional.of(ManifestKind.OCI_INDEX),
                ManifestKind.fromMediaType("application/vnd.oci.image.index.v1+json; charset=utf-8"));
        assertEquals(Optional.of(ManifestKind.DOCKER_MANIFEST_LIST),
                ManifestKind.fromMediaType(MediaTypes.DOCKER_MANIFEST_LIST.toUpperCase()));
        assertEquals(Optional.empty(), ManifestKind.fromMediaType(null));
        assertEquals(Optional.empty(), ManifestKind.fromMediaType(MediaTypes.DOCKER_MANIFEST_V1_SIGNED));
        assertEquals(Optional.empty(), ManifestKind.fromMediaType(MediaTypes.OCI_CONFIG));
    }

    @Test
    void descriptorAnnotationsAreFrozenInOrder() {
        Map<String, String> source = new java.util.LinkedHashMap<>();
        source.put("z", "1");
        source.put("a", "2");
        Descriptor d = new Descriptor("a/b", SampleManifests.LAYER1, 0, null, source, null);
        source.put("later", "x");
        assertEquals(List.of("z", "a"), List.copyOf(d.annotations().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> d.annotations().put("k", "v"));
        assertEquals(Map.of(), new Descriptor("a/b", SampleManifests.LAYER1, 0, null, null, null)
                .annotations());
    }

    @Test
    void descriptorInvariants() {
        assertThrows(IllegalArgumentException.class,
                () -> Descriptor.of("a/b", SampleManifests.LAYER1, -1));
        assertThrows(NullPointerException.class, () -> Descriptor.of(null, SampleManifests.LAYER1, 1));
        assertThrows(NullPointerException.class, () -> Descriptor.of("a/b", null, 1));
        Map<String, String> withNull = new HashMap<>();
        withNull.put("k", null);
        assertThrows(NullPointerException.class,
                () -> new Descriptor("a/b", SampleManifests.LAYER1, 1, null, withNull, null));
        assertThrows(NullPointerException.class, () -> new Platform(null, "linux", null));
    }

    @Test
    void manifestInvariants() {
        Digest d = SampleManifests.SUBJECT;
        assertThrows(NullPointerException.class, () -> new Manifest(ManifestKind.OCI_MANIFEST,
                MediaTypes.OCI_MANIFEST, null, null, null, null, null, null, d, 1));
        assertThrows(IllegalArgumentException.class, () -> new Manifest(ManifestKind.OCI_INDEX,
                MediaTypes.OCI_INDEX, CONFIG, null, null, null, null, null, d, 1));
        assertThrows(IllegalArgumentException.class, () -> new Manifest(ManifestKind.OCI_MANIFEST,
                MediaTypes.OCI_MANIFEST, CONFIG, null, List.of(CONFIG), null, null, null, d, 1));
        Manifest m = new Manifest(ManifestKind.OCI_MANIFEST, MediaTypes.OCI_MANIFEST, CONFIG,
                null, null, null, null, null, d, 1);
        assertEquals(List.of(CONFIG), m.blobReferences());
        assertEquals(List.of(), m.manifestReferences());
        assertEquals(Map.of(), m.annotations());
        assertThrows(UnsupportedOperationException.class, () -> m.layers().add(CONFIG));
    }

    @Test
    void effectiveArtifactTypeRule() {
        assertEquals("application/x.sig", ManifestParser.effectiveArtifactType("application/x.sig", CONFIG));
        assertEquals(MediaTypes.OCI_CONFIG, ManifestParser.effectiveArtifactType(null, CONFIG));
        assertEquals(null, ManifestParser.effectiveArtifactType(null, null));
    }
}
