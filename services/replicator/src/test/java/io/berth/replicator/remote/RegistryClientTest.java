package io.berth.replicator.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.replicator.support.Distribution;
import io.berth.replicator.support.SilentServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against real registries (Debian's docker-registry, open and with htpasswd, and over
 * TLS with a self-signed certificate) and against each way a remote can fail.
 */
class RegistryClientTest {

    private static Distribution open;
    private static Distribution secured;

    @BeforeAll
    static void start() throws Exception {
        open = Distribution.open();
        secured = Distribution.withPassword();
    }

    @AfterAll
    static void stop() throws Exception {
        open.close();
        secured.close();
    }

    static RegistryClient client(String url, boolean insecure, String user, String password) {
        return new RegistryClient(new RemoteTarget(URI.create(url), insecure, user, password, Duration.ofSeconds(2),
                Duration.ofSeconds(5)));
    }

    static RemoteException.Reason failure(RegistryClient client) {
        return assertThrows(RemoteException.class, client::ping).reason();
    }

    @Test
    void pingsAnOpenRegistryAndOneWithAPassword() {
        RegistryClient.Ping ping = client(open.url(), false, null, null).ping();
        assertEquals("registry/2.0", ping.apiVersion());
        assertEquals("none", ping.auth());
        assertEquals("basic", client(secured.url(), false, Distribution.USER, Distribution.PASSWORD).ping().auth());
    }

    @Test
    void aWrongPasswordAndMissingCredentialsAreUnauthorizedEachWithItsOwnMessage() {
        RemoteException wrong = assertThrows(RemoteException.class,
                () -> client(secured.url(), false, Distribution.USER, "not-the-password").ping());
        assertEquals(RemoteException.Reason.UNAUTHORIZED, wrong.reason());
        assertTrue(wrong.getMessage().contains("wrong user name or password"), wrong.getMessage());
        assertTrue(!wrong.getMessage().contains("not-the-password"), "the password is in the message");
        RemoteException none = assertThrows(RemoteException.class, () -> client(secured.url(), false, null, null).ping());
        assertEquals(RemoteException.Reason.UNAUTHORIZED, none.reason());
        assertTrue(none.getMessage().contains("needs credentials"), none.getMessage());
    }

    @Test
    void aSelfSignedCertificateFailsUnlessTheEndpointIsInsecure() throws Exception {
        try (Distribution tls = Distribution.withTls()) {
            RemoteException e = assertThrows(RemoteException.class,
                    () -> client(tls.url(), false, Distribution.USER, Distribution.PASSWORD).ping());
            assertEquals(RemoteException.Reason.TLS, e.reason());
            assertTrue(e.getMessage().contains("insecure"), e.getMessage());
            assertEquals("basic", client(tls.url(), true, Distribution.USER, Distribution.PASSWORD).ping().auth());
        }
    }

    @Test
    void dnsRefusedAndTimeoutAreTold() throws Exception {
        assertEquals(RemoteException.Reason.DNS, failure(client("http://no-such-registry.invalid", false, null, null)));
        assertEquals(RemoteException.Reason.CONNECTION_REFUSED,
                failure(client("http://127.0.0.1:" + Distribution.freePort(), false, null, null)));
        try (SilentServer silent = new SilentServer()) {
            RegistryClient c = new RegistryClient(new RemoteTarget(URI.create(silent.url()), false, null, null,
                    Duration.ofSeconds(2), Duration.ofMillis(500)));
            long start = System.nanoTime();
            assertEquals(RemoteException.Reason.TIMEOUT, failure(c));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(4).toNanos(), "the timeout did not apply");
        }
    }

    @Test
    void whatIsNotARegistryOrForbidsIsTold() throws Exception {
        HttpServer web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/", ex -> {
            byte[] page = "<html>hello</html>".getBytes(StandardCharsets.UTF_8);
            int status = ex.getRequestURI().getPath().startsWith("/forbidden") ? 403
                    : ex.getRequestURI().getPath().startsWith("/page") ? 200 : 404;
            ex.sendResponseHeaders(status, page.length);
            ex.getResponseBody().write(page);
            ex.close();
        });
        web.start();
        try {
            String base = "http://127.0.0.1:" + web.getAddress().getPort();
            assertEquals(RemoteException.Reason.NOT_A_REGISTRY, failure(client(base, false, null, null)));
            assertEquals(RemoteException.Reason.NOT_A_REGISTRY, failure(client(base + "/page", false, null, null)));
            assertEquals(RemoteException.Reason.FORBIDDEN, failure(client(base + "/forbidden", false, null, null)));
        } finally {
            web.stop(0);
        }
    }

    @Test
    void blobsAndManifestsMakeTheRoundTripMonolithicChunkedAndMounted() throws Exception {
        RegistryClient c = client(secured.url(), false, Distribution.USER, Distribution.PASSWORD);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = new byte[300_000];
        new Random(7).nextBytes(layer);
        Digest configDigest = Digest.sha256(config);
        Digest layerDigest = Digest.sha256(layer);
        assertTrue(c.blobSize("team/app", layerDigest).isEmpty());

        assertEquals(RegistryClient.Upload.UPLOADED, c.pushBlob("team/app", configDigest, config.length,
                () -> new ByteArrayInputStream(config), null, 0));
        assertEquals(RegistryClient.Upload.UPLOADED, c.pushBlob("team/app", layerDigest, layer.length,
                () -> new ByteArrayInputStream(layer), null, 64 * 1024));
        assertEquals(layer.length, c.blobSize("team/app", layerDigest).getAsLong());
        try (InputStream in = c.openBlob("team/app", layerDigest)) {
            assertArrayEquals(layer, in.readAllBytes());
        }

        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_TAR_GZIP
                + "\",\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        Digest manifestDigest = c.putManifest("team/app", "v1", MediaTypes.OCI_MANIFEST, manifest);
        assertEquals(Digest.sha256(manifest), manifestDigest);
        RemoteManifest head = c.headManifest("team/app", "v1").orElseThrow();
        assertEquals(manifestDigest, head.digest());
        assertEquals(MediaTypes.OCI_MANIFEST, head.mediaType());
        RemoteManifest got = c.getManifest("team/app", manifestDigest.toString());
        assertArrayEquals(manifest, got.bytes());
        assertTrue(c.headManifest("team/app", "v2").isEmpty());
        assertEquals(RemoteException.Reason.NOT_FOUND,
                assertThrows(RemoteException.class, () -> c.getManifest("team/app", "v2")).reason());

        // The same blobs into another repository: mounted, no bytes sent.
        assertEquals(RegistryClient.Upload.MOUNTED, c.pushBlob("team/copy", layerDigest, layer.length,
                () -> {
                    throw new AssertionError("a mounted blob was read");
                }, "team/app", 0));
        assertEquals(layer.length, c.blobSize("team/copy", layerDigest).getAsLong());
    }

    @Test
    void theRemoteRefusingBytesOrAManifestIsRejectedWithItsReason() {
        RegistryClient c = client(open.url(), false, null, null);
        byte[] bytes = "some bytes".getBytes(StandardCharsets.UTF_8);
        Digest wrong = Digest.sha256("other bytes".getBytes(StandardCharsets.UTF_8));
        RemoteException digest = assertThrows(RemoteException.class,
                () -> c.pushBlob("lib/x", wrong, bytes.length, () -> new ByteArrayInputStream(bytes), null, 0));
        assertEquals(RemoteException.Reason.REJECTED, digest.reason());
        assertTrue(digest.getMessage().contains("DIGEST_INVALID"), digest.getMessage());
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + "{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + wrong + "\",\"size\":11},"
                + "\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        RemoteException unknown = assertThrows(RemoteException.class,
                () -> c.putManifest("lib/x", "v1", MediaTypes.OCI_MANIFEST, manifest));
        assertEquals(RemoteException.Reason.REJECTED, unknown.reason());
        assertTrue(unknown.getMessage().contains("MANIFEST_BLOB_UNKNOWN"), unknown.getMessage());
    }
}
