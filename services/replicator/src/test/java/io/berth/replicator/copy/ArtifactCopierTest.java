package io.berth.replicator.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.MediaTypes;
import io.berth.replicator.policy.Filters;
import io.berth.replicator.remote.Referrer;
import io.berth.replicator.remote.RegistryClient;
import io.berth.replicator.remote.RemoteException;
import io.berth.replicator.remote.RemoteTarget;
import io.berth.replicator.support.Distribution;
import io.berth.replicator.support.TestImages;
import io.berth.replicator.support.TestImages.Pushed;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The copy engine between two real registries (Debian's docker-registry 2.8.2): an open source and
 * a destination with htpasswd. Images, indexes and referrers are built in the test.
 */
class ArtifactCopierTest {

    static Distribution sourceRegistry;
    static Distribution destinationRegistry;
    static RegistryClient source;
    static RegistryClient destination;
    final ArtifactCopier copier = new ArtifactCopier();
    final List<String> log = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        sourceRegistry = Distribution.open();
        destinationRegistry = Distribution.withPassword();
        source = client(sourceRegistry.url(), null, null);
        destination = client(destinationRegistry.url(), Distribution.USER, Distribution.PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        sourceRegistry.close();
        destinationRegistry.close();
    }

    static RegistryClient client(String url, String user, String password) {
        return new RegistryClient(new RemoteTarget(URI.create(url), false, user, password, Duration.ofSeconds(2),
                Duration.ofSeconds(30)));
    }

    static CopyRequest request(String srcRepo, String ref, RegistryClient to, String dstRepo, String tag,
            Filters filters, boolean overwrite) {
        return new CopyRequest(source, srcRepo, ref, to, dstRepo, tag, filters, overwrite, 0, () -> false);
    }

    static Filters platforms(String... platforms) {
        return new Filters(List.of(), List.of(), List.of(), EnumSet.of(Filters.Kind.ALL), List.of(platforms), false);
    }

    CopyResult copy(CopyRequest r) {
        return copier.copy(r, log::add);
    }

    @Test
    void anImageIsCopiedOnceAndThenFoundUnchanged() {
        Pushed image = TestImages.image(source, "team/web", "v1", "linux/amd64", 1, 200_000, 50_000);
        CopyResult first = copy(request("team/web", "v1", destination, "mirror/web", "v1", Filters.ALL_ARTIFACTS, false));
        assertEquals(image.digest(), first.digest());
        assertEquals(3, first.blobsCopied());
        assertEquals(1, first.manifestsPushed());
        assertFalse(first.unchanged());
        assertTrue(first.bytes() >= 250_000 + image.size(), "bytes " + first.bytes());
        assertArrayEquals(image.bytes(), destination.getManifest("mirror/web", "v1").bytes());
        assertTrue(log.stream().anyMatch(l -> l.matches("blob sha256:\\w+ \\(200\\.0 kB\\) uploaded in .* s")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("put as tag v1")), log.toString());

        CopyResult again = copy(request("team/web", "v1", destination, "mirror/web", "v1", Filters.ALL_ARTIFACTS, false));
        assertTrue(again.unchanged());
        assertEquals(0, again.bytes());
        assertEquals(0, again.manifestsPushed() + again.blobsCopied() + again.blobsMounted() + again.blobsSkipped());
    }

    @Test
    void aSecondRepositoryGetsTheSharedLayerByMount() {
        // The same seed and size: the same layer; another platform: another config.
        TestImages.image(source, "team/api", "v1", "linux/amd64", 2, 100_000);
        Pushed v2 = TestImages.image(source, "team/api", "v2", "linux/arm64", 2, 100_000);
        copy(request("team/api", "v1", destination, "one/api", "v1", Filters.ALL_ARTIFACTS, false));
        CopyResult second = copy(request("team/api", "v2", destination, "two/api", "v2", Filters.ALL_ARTIFACTS, false));
        assertEquals(1, second.blobsMounted());
        assertEquals(1, second.blobsCopied());
        assertTrue(log.stream().anyMatch(l -> l.contains("mounted from one/api")), log.toString());
        assertTrue(destination.blobSize("two/api", v2.blobs().get(1)).isPresent());
    }

    @Test
    void aStaleMountHintEndsInAnUpload() {
        Pushed image = TestImages.image(source, "team/stale", "v1", "linux/amd64", 17, 20_000);
        // The copier believes another repository there has the layer; it does not.
        copier.locations.seen(ArtifactCopier.key(destination), image.blobs().get(1), "nowhere/stale");
        CopyResult r = copy(request("team/stale", "v1", destination, "mirror/stale", "v1", Filters.ALL_ARTIFACTS, false));
        assertEquals(0, r.blobsMounted());
        assertEquals(2, r.blobsCopied());
        assertTrue(destination.blobSize("mirror/stale", image.blobs().get(1)).isPresent());
    }

    @Test
    void anExistingTagWithAnotherDigestIsRefusedUnlessThePolicyOverwrites() {
        Pushed mine = TestImages.image(source, "team/db", "v1", "linux/amd64", 3, 1000);
        Pushed theirs = TestImages.image(destination, "mirror/db", "v1", "linux/amd64", 4, 1000);
        CopyRefused refused = assertThrows(CopyRefused.class,
                () -> copy(request("team/db", "v1", destination, "mirror/db", "v1", Filters.ALL_ARTIFACTS, false)));
        assertEquals(CopyRefused.Reason.EXISTS, refused.reason());
        assertTrue(refused.getMessage().contains("exists at the destination with digest " + theirs.digest())
                && refused.getMessage().contains("does not overwrite"), refused.getMessage());
        CopyResult moved = copy(request("team/db", "v1", destination, "mirror/db", "v1", Filters.ALL_ARTIFACTS, true));
        assertEquals(mine.digest(), destination.headManifest("mirror/db", "v1").orElseThrow().digest());
        assertEquals(2, moved.blobsCopied());
    }

    @Test
    void aKindThePolicyDoesNotSelectIsFiltered() {
        TestImages.image(source, "team/img", "v1", "linux/amd64", 5, 1000);
        Filters charts = new Filters(List.of(), List.of(), List.of(), EnumSet.of(Filters.Kind.CHARTS), List.of(), false);
        CopyRefused refused = assertThrows(CopyRefused.class,
                () -> copy(request("team/img", "v1", destination, "mirror/img", "v1", charts, false)));
        assertEquals(CopyRefused.Reason.FILTERED, refused.reason());
        assertTrue(refused.getMessage().contains("kind images"), refused.getMessage());
        assertTrue(destination.headManifest("mirror/img", "v1").isEmpty());
    }

    @Test
    void anIndexIsCopiedWithAllItsPlatformsAndItsOriginalBytes() {
        Pushed amd = TestImages.image(source, "team/multi", null, "linux/amd64", 6, 10_000);
        Pushed arm = TestImages.image(source, "team/multi", null, "linux/arm64", 7, 10_000);
        Pushed index = TestImages.index(source, "team/multi", "v1", List.of(amd, arm), List.of("linux/amd64", "linux/arm64"));
        CopyResult r = copy(request("team/multi", "v1", destination, "mirror/multi", "v1", platforms(), false));
        assertEquals(index.digest(), r.digest());
        assertEquals(3, r.manifestsPushed());
        assertEquals(4, r.blobsCopied());
        assertArrayEquals(index.bytes(), destination.getManifest("mirror/multi", "v1").bytes());
        assertTrue(destination.headManifest("mirror/multi", arm.digest().toString()).isPresent());
    }

    @Test
    void aPlatformSubsetThatTheDestinationRefusesSaysWhy() {
        Pushed amd = TestImages.image(source, "team/sparse", null, "linux/amd64", 8, 10_000);
        Pushed arm = TestImages.image(source, "team/sparse", null, "linux/arm64", 9, 10_000);
        TestImages.index(source, "team/sparse", "v1", List.of(amd, arm), List.of("linux/amd64", "linux/arm64"));
        // distribution 2.8.2 checks that every child of an index exists: MANIFEST_BLOB_UNKNOWN.
        RemoteException e = assertThrows(RemoteException.class,
                () -> copy(request("team/sparse", "v1", destination, "mirror/sparse", "v1", platforms("linux/amd64"), false)));
        assertTrue(e.getMessage().contains("refuses sparse indexes") && e.getMessage().contains("linux/arm64")
                && e.getMessage().contains("MANIFEST_BLOB_UNKNOWN"), e.getMessage());
        assertFalse(e.transientFailure());
        assertTrue(destination.headManifest("mirror/sparse", amd.digest().toString()).isPresent());
        assertTrue(destination.headManifest("mirror/sparse", arm.digest().toString()).isEmpty());
    }

    @Test
    void anAttestationTravelsWithThePlatformItDescribes() {
        Pushed amd = TestImages.image(source, "team/att", null, "linux/amd64", 12, 1000);
        Pushed arm = TestImages.image(source, "team/att", null, "linux/arm64", 13, 1000);
        Pushed amdAtt = TestImages.image(source, "team/att", null, "unknown/unknown", 14, 100);
        Pushed armAtt = TestImages.image(source, "team/att", null, "unknown/unknown", 15, 100);
        ObjectNode index = new ObjectMapper().createObjectNode().put("schemaVersion", 2)
                .put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode children = index.putArray("manifests");
        children.add(child(amd, "linux/amd64", null));
        children.add(child(arm, "linux/arm64", null));
        children.add(child(amdAtt, "unknown/unknown", amd));
        children.add(child(armAtt, "unknown/unknown", arm));
        source.putManifest("team/att", "v1", MediaTypes.OCI_INDEX, index.toString().getBytes(StandardCharsets.UTF_8));

        RemoteException e = assertThrows(RemoteException.class,
                () -> copy(request("team/att", "v1", destination, "mirror/att", "v1", platforms("linux/amd64"), false)));
        assertTrue(e.getMessage().contains("without its platforms linux/arm64, unknown/unknown"), e.getMessage());
        assertTrue(destination.headManifest("mirror/att", amd.digest().toString()).isPresent());
        assertTrue(destination.headManifest("mirror/att", amdAtt.digest().toString()).isPresent());
        assertTrue(destination.headManifest("mirror/att", arm.digest().toString()).isEmpty());
        assertTrue(destination.headManifest("mirror/att", armAtt.digest().toString()).isEmpty());
    }

    private static ObjectNode child(Pushed m, String platform, Pushed describes) {
        ObjectNode d = TestImages.descriptor(m.mediaType(), m.digest(), m.size());
        String[] p = platform.split("/");
        d.putObject("platform").put("os", p[0]).put("architecture", p[1]);
        if (describes != null) {
            d.putObject("annotations").put("vnd.docker.reference.type", "attestation-manifest")
                    .put("vnd.docker.reference.digest", describes.digest().toString());
        }
        return d;
    }

    @Test
    void referrersTravelWithTheirSubjectAndAreListedUnderTheFallbackTag() {
        Pushed subject = TestImages.image(source, "team/signed", "v1", "linux/amd64", 10, 1000);
        Pushed sig = TestImages.referrer(source, "team/signed", subject, "application/vnd.example.sig", "sig");
        Pushed sbom = TestImages.referrer(source, "team/signed", subject, "application/spdx+json", "{}");
        TestImages.fallbackTag(source, "team/signed", subject, List.of(sig), "application/vnd.example.sig");
        // The SBOM's own signature, a referrer of a referrer.
        Pushed sbomSig = TestImages.referrer(source, "team/signed", sbom, "application/vnd.example.sig", "sbom-sig");
        TestImages.fallbackTag(source, "team/signed", sbom, List.of(sbomSig), "application/vnd.example.sig");
        // The source's fallback index of the subject lists both.
        TestImages.fallbackTag(source, "team/signed", subject, List.of(sig, sbom), "application/vnd.example.any");

        CopyResult r = copy(request("team/signed", "v1", destination, "mirror/signed", "v1", Filters.ALL_ARTIFACTS, false));
        assertEquals(4, r.manifestsPushed() - 2, log.toString()); // subject, 3 referrers, 2 fallback indexes
        List<Referrer> there = destination.referrers("mirror/signed", subject.digest());
        assertEquals(List.of(sig.digest(), sbom.digest()), there.stream().map(Referrer::digest).toList());
        assertEquals("application/spdx+json", there.get(1).artifactType());
        assertEquals(List.of(sbomSig.digest()), destination.referrers("mirror/signed", sbom.digest()).stream()
                .map(Referrer::digest).toList());
        assertTrue(log.stream().anyMatch(l -> l.contains("referrer " + sig.digest())), log.toString());

        // A signature added after the copy follows on the next run, though the subject is unchanged.
        Pushed late = TestImages.referrer(source, "team/signed", subject, "application/vnd.example.sig", "late");
        TestImages.fallbackTag(source, "team/signed", subject, List.of(sig, sbom, late), "application/vnd.example.sig");
        CopyResult again = copy(request("team/signed", "v1", destination, "mirror/signed", "v1", Filters.ALL_ARTIFACTS,
                false));
        assertFalse(again.unchanged());
        assertEquals(2, again.manifestsPushed()); // the late signature and the fallback index
        assertEquals(3, destination.referrers("mirror/signed", subject.digest()).size());

        // Without the referrers kind, only the subject travels.
        Filters images = new Filters(List.of(), List.of(), List.of(), EnumSet.of(Filters.Kind.IMAGES), List.of(), false);
        CopyResult alone = copy(request("team/signed", "v1", destination, "bare/signed", "v1", images, false));
        assertEquals(1, alone.manifestsPushed());
        assertEquals(List.of(), destination.referrers("bare/signed", subject.digest()));
    }

    @Test
    void aSignatureCopiedOnItsOwnIsListedUnderItsSubjectsFallbackTag() {
        Pushed subject = TestImages.image(source, "team/late", "v1", "linux/amd64", 16, 1000);
        Pushed sig = TestImages.referrer(source, "team/late", subject, "application/vnd.example.sig", "on its own");
        Filters images = new Filters(List.of(), List.of(), List.of(), EnumSet.of(Filters.Kind.IMAGES), List.of(), false);
        copy(request("team/late", "v1", destination, "mirror/late", "v1", images, false));
        // What an event for the signature's push does: copy it by digest.
        CopyResult r = copy(request("team/late", sig.digest().toString(), destination, "mirror/late", null,
                Filters.ALL_ARTIFACTS, false));
        assertEquals(2, r.manifestsPushed(), log.toString()); // the signature and the fallback index
        List<Referrer> there = destination.referrers("mirror/late", subject.digest());
        assertEquals(List.of(new Referrer(sig.digest(), MediaTypes.OCI_MANIFEST, "application/vnd.example.sig",
                sig.size())), there);
    }

    @Test
    void deletesPropagateAndAnAbsentReferenceIsNoFailure() {
        Pushed image = TestImages.image(destination, "gone/app", "v1", "linux/amd64", 11, 1000);
        assertTrue(copier.delete(destination, "gone/app", image.digest().toString(), log::add));
        assertFalse(copier.delete(destination, "gone/app", image.digest().toString(), log::add));
        assertTrue(log.get(log.size() - 1).contains("already absent"), log.toString());
    }
}
