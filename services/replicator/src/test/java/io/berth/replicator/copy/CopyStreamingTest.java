package io.berth.replicator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.replicator.policy.Filters;
import io.berth.replicator.remote.RegistryClient;
import io.berth.replicator.remote.RemoteException;
import io.berth.replicator.support.Distribution;
import io.berth.replicator.support.GeneratedStream;
import io.berth.replicator.support.NoMonolithProxy;
import io.berth.replicator.support.TestImages;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How blob bytes move: at the policy's pace, stopped on request, in flat memory however large the
 * blob; and how a destination that refuses the credentials or is down fails the copy.
 */
class CopyStreamingTest {

    static Distribution sourceRegistry;
    static Distribution destinationRegistry;
    static RegistryClient source;
    static RegistryClient destination;
    final ArtifactCopier copier = new ArtifactCopier();
    final List<String> log = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        sourceRegistry = Distribution.open();
        destinationRegistry = Distribution.open();
        source = ArtifactCopierTest.client(sourceRegistry.url(), null, null);
        destination = ArtifactCopierTest.client(destinationRegistry.url(), null, null);
    }

    @AfterAll
    static void stop() throws Exception {
        sourceRegistry.close();
        destinationRegistry.close();
    }

    CopyRequest request(String repo, RegistryClient to, int speedKib, BooleanSupplier stop) {
        return new CopyRequest(source, repo, "v1", to, repo, "v1", Filters.ALL_ARTIFACTS, false, speedKib, stop);
    }

    @Test
    void theBandwidthLimitHolds() {
        TestImages.image(source, "slow/app", "v1", "linux/amd64", 1, 2 * 1024 * 1024);
        long start = System.nanoTime();
        CopyResult r = copier.copy(request("slow/app", destination, 512, () -> false), log::add);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(r.bytes() >= 2 * 1024 * 1024);
        // 2 MiB at 512 KiB/s is 4 s; the bucket's 64 KiB start and timer slack leave at least 3.
        assertTrue(seconds >= 3.0, "took " + seconds + " s");
    }

    @Test
    void aStopEndsTheCopyBetweenBlobsOrInTheStream() {
        TestImages.image(source, "stop/app", "v1", "linux/amd64", 2, 1024 * 1024);
        AtomicInteger asked = new AtomicInteger();
        // Asked before the manifest, before each blob, then every 64 KiB of the 1 MiB layer.
        CopyStopped stopped = assertThrows(CopyStopped.class,
                () -> copier.copy(request("stop/app", destination, 0, () -> asked.incrementAndGet() > 6), log::add));
        assertTrue(stopped.getMessage().contains("stopped while sending blob"), stopped.getMessage());
        assertTrue(destination.headManifest("stop/app", "v1").isEmpty());

        CopyStopped before = assertThrows(CopyStopped.class,
                () -> copier.copy(request("stop/app", destination, 0, () -> true), log::add));
        assertTrue(before.getMessage().contains("asked to stop"), before.getMessage());
        // Not stopped: the copy completes (a retry resumes it: what was sent is not sent again).
        CopyResult done = copier.copy(request("stop/app", destination, 0, () -> false), log::add);
        assertEquals(2, done.blobsCopied() + done.blobsSkipped());
    }

    @Test
    void aDestinationThatRefusesOnePutGetsChunksFromThenOn() throws Exception {
        TestImages.image(source, "chunk/app", "v1", "linux/amd64", 5, 300_000);
        TestImages.image(source, "chunk/app", "v2", "linux/arm64", 6, 300_000);
        try (NoMonolithProxy proxy = new NoMonolithProxy(destinationRegistry.url())) {
            RegistryClient behind = ArtifactCopierTest.client(proxy.url(), null, null);
            CopyResult r = copier.copy(request("chunk/app", behind, 0, () -> false), log::add);
            assertEquals(2, r.blobsCopied());
            // The image's two blobs start at once (ArtifactCopier.PARALLEL_BLOBS): each may meet
            // the refusal before the other has learnt it.
            int refused = proxy.refused.get();
            assertTrue(refused == 1 || refused == 2, "refused " + refused);
            assertTrue(log.stream().anyMatch(l -> l.contains("refuses blobs in one PUT (413)")), log.toString());
            CopyRequest v2 = new CopyRequest(source, "chunk/app", "v2", behind, "chunk/app", "v2",
                    Filters.ALL_ARTIFACTS, false, 0, () -> false);
            assertEquals(2, copier.copy(v2, log::add).blobsCopied());
            assertEquals(refused, proxy.refused.get(), "the copier tried one PUT again");
            assertEquals(4, proxy.patches.get());
            assertTrue(destination.blobSize("chunk/app", TestImages.image(source, "chunk/app", "v2", "linux/arm64", 6,
                    300_000).blobs().get(1)).isPresent());
        }
    }

    @Test
    void aDestinationWithTheTokenFlowTakesCopiesMountsAndDeletes() throws Exception {
        TestImages.image(source, "token/app", "v1", "linux/amd64", 7, 50_000);
        try (Distribution tokens = Distribution.withTokens()) {
            RegistryClient to = ArtifactCopierTest.client(tokens.url(), Distribution.USER, Distribution.PASSWORD);
            CopyResult first = copier.copy(request("token/app", to, 0, () -> false), log::add);
            assertEquals(2, first.blobsCopied());
            CopyRequest other = new CopyRequest(source, "token/app", "v1", to, "token/other", "v1",
                    Filters.ALL_ARTIFACTS, false, 0, () -> false);
            assertEquals(2, copier.copy(other, log::add).blobsMounted());
            assertTrue(copier.delete(to, "token/other", first.digest().toString(), log::add));
            assertTrue(to.headManifest("token/other", "v1").isEmpty());
            assertTrue(tokens.tokens().requests.contains("repository:token/other:delete"),
                    tokens.tokens().requests.toString());
        }
    }

    @Test
    void aWrongPasswordAtTheDestinationIsUnauthorized() throws Exception {
        TestImages.image(source, "auth/app", "v1", "linux/amd64", 3, 1000);
        try (Distribution secured = Distribution.withPassword()) {
            RegistryClient wrong = ArtifactCopierTest.client(secured.url(), Distribution.USER, "wrong-password");
            RemoteException e = assertThrows(RemoteException.class,
                    () -> copier.copy(request("auth/app", wrong, 0, () -> false), log::add));
            assertEquals(RemoteException.Reason.UNAUTHORIZED, e.reason());
            assertFalse(e.transientFailure());
        }
    }

    @Test
    void aDestinationThatIsDownIsATransientFailure() throws Exception {
        TestImages.image(source, "down/app", "v1", "linux/amd64", 4, 1000);
        RegistryClient down = ArtifactCopierTest.client("http://127.0.0.1:" + Distribution.freePort(), null, null);
        RemoteException e = assertThrows(RemoteException.class,
                () -> copier.copy(request("down/app", down, 0, () -> false), log::add));
        assertEquals(RemoteException.Reason.CONNECTION_REFUSED, e.reason());
        assertTrue(e.transientFailure());
    }

    @Test
    void a200MiBBlobStreamsInFlatMemory() throws Exception {
        long size = 200L * 1024 * 1024;
        Digest layer = GeneratedStream.digest(42, size);
        source.pushBlob("big/app", layer, size, () -> new GeneratedStream(42, size), null, 0);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        Digest configDigest = TestImages.blob(source, "big/app", config);
        ObjectNode m = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("schemaVersion", 2)
                .put("mediaType", MediaTypes.OCI_MANIFEST);
        m.set("config", TestImages.descriptor(MediaTypes.OCI_CONFIG, configDigest, config.length));
        m.putArray("layers").add(TestImages.descriptor(MediaTypes.OCI_LAYER_TAR_GZIP, layer, size));
        source.putManifest("big/app", "v1", MediaTypes.OCI_MANIFEST, m.toString().getBytes(StandardCharsets.UTF_8));

        long baseline = usedAfterGc();
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(usedAfterGc(), Math::max);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        CopyResult r;
        try {
            r = copier.copy(request("big/app", destination, 0, () -> false), log::add);
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        assertEquals(size, destination.blobSize("big/app", layer).getAsLong());
        assertTrue(r.bytes() >= size);
        long grew = peak.get() - baseline;
        assertTrue(grew < 48L * 1024 * 1024, "the heap grew by " + grew / (1024 * 1024) + " MiB while copying 200 MiB");
    }

    /** The heap in use after a full collection: what is really held, not garbage waiting. */
    private static long usedAfterGc() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
