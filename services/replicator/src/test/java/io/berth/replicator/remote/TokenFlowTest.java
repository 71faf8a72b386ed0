package io.berth.replicator.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.replicator.support.Distribution;
import io.berth.replicator.support.TokenService;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Docker token flow against a real registry: Debian's docker-registry with {@code auth.token},
 * trusting the certificate of a {@link TokenService} that checks Basic credentials.
 */
class TokenFlowTest {

    private static Distribution registry;

    @BeforeAll
    static void start() throws Exception {
        registry = Distribution.withTokens();
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    @Test
    void pingGetsATokenWithTheCredentialsAndAWrongPasswordIsTold() {
        assertEquals("bearer", RegistryClientTest.client(registry.url(), false, Distribution.USER, Distribution.PASSWORD)
                .ping().auth());
        RemoteException wrong = assertThrows(RemoteException.class,
                () -> RegistryClientTest.client(registry.url(), false, Distribution.USER, "nope").ping());
        assertEquals(RemoteException.Reason.UNAUTHORIZED, wrong.reason());
        assertTrue(wrong.getMessage().contains("wrong user name or password"), wrong.getMessage());
    }

    @Test
    void tokensAreAskedOncePerScopeAndCarryThePushAndTheMount() throws Exception {
        RegistryClient c = RegistryClientTest.client(registry.url(), false, Distribution.USER, Distribution.PASSWORD);
        int before = registry.tokens().requests.size();
        byte[] config = "{\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.sha256(config);
        byte[] layer = new byte[100_000];
        new java.util.Random(3).nextBytes(layer);
        Digest l = Digest.sha256(layer);
        c.pushBlob("flow/app", d, config.length, () -> new ByteArrayInputStream(config), null, 0);
        c.pushBlob("flow/app", l, layer.length, () -> new ByteArrayInputStream(layer), null, 30_000);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + "{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + d + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_TAR_GZIP + "\",\"digest\":\"" + l
                + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        c.putManifest("flow/app", "v1", MediaTypes.OCI_MANIFEST, manifest);
        // Every write to flow/app used the one pull,push token.
        assertEquals(List.of("repository:flow/app:pull,push"), registry.tokens().requests.subList(before,
                registry.tokens().requests.size()));

        assertArrayEquals(manifest, c.getManifest("flow/app", "v1").bytes());
        try (InputStream in = c.openBlob("flow/app", l)) {
            assertArrayEquals(layer, in.readAllBytes());
        }
        assertEquals(RegistryClient.Upload.MOUNTED, c.pushBlob("flow/other", l, layer.length, () -> {
            throw new AssertionError("a mounted blob was read");
        }, "flow/app", 0));
        List<String> asked = registry.tokens().requests.subList(before, registry.tokens().requests.size());
        assertEquals(List.of("repository:flow/app:pull,push", "repository:flow/app:pull",
                "repository:flow/app:pull repository:flow/other:pull,push"), asked);
    }

    @Test
    void aReaderCannotPush() {
        RegistryClient reader = RegistryClientTest.client(registry.url(), false, TokenService.READER,
                TokenService.READER_PASSWORD);
        byte[] b = "x".getBytes(StandardCharsets.UTF_8);
        RemoteException e = assertThrows(RemoteException.class, () -> reader.pushBlob("flow/app", Digest.sha256(b), 1,
                () -> new ByteArrayInputStream(b), null, 0));
        assertEquals(RemoteException.Reason.UNAUTHORIZED, e.reason());
        assertTrue(e.getMessage().contains("user reader may not do this"), e.getMessage());
    }
}
