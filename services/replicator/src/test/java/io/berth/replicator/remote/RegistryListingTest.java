package io.berth.replicator.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.replicator.support.Distribution;
import io.berth.replicator.support.TestImages;
import io.berth.replicator.support.TestImages.Pushed;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalog, tags, referrers and deletes of the client against Debian's docker-registry
 * (distribution 2.8.2: paging with {@code Link}, no referrers API, deletes only when enabled).
 */
class RegistryListingTest {

    private static Distribution registry;
    private static RegistryClient client;

    @BeforeAll
    static void start() throws Exception {
        registry = Distribution.withPassword();
        client = RegistryClientTest.client(registry.url(), false, Distribution.USER, Distribution.PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    @Test
    void theCatalogAndTagsAreReadOverAllTheirPages() {
        for (String repo : List.of("cat/a", "cat/b", "cat/c")) {
            TestImages.image(client, repo, "v1", "linux/amd64", repo.hashCode(), 100);
        }
        TestImages.image(client, "cat/a", "v2", "linux/amd64", 11, 100);
        TestImages.image(client, "cat/a", "v3", "linux/amd64", 12, 100);

        List<String> paged = client.catalog(1);
        assertTrue(paged.containsAll(List.of("cat/a", "cat/b", "cat/c")), paged.toString());
        assertEquals(client.catalog(), paged);
        assertEquals(List.of("v1", "v2", "v3"), client.tags("cat/a", 1));
        assertEquals(List.of("v1", "v2", "v3"), client.tags("cat/a"));
        assertEquals(List.of(), client.tags("cat/none"));
    }

    @Test
    void referrersComeFromTheTagSchemaWhereThereIsNoReferrersApi() {
        Pushed subject = TestImages.image(client, "ref/app", "v1", "linux/amd64", 21, 100);
        assertEquals(List.of(), client.referrers("ref/app", subject.digest()));
        Pushed sig = TestImages.referrer(client, "ref/app", subject, "application/vnd.example.sig", "signed");
        TestImages.fallbackTag(client, "ref/app", subject, List.of(sig), "application/vnd.example.sig");

        List<Referrer> found = client.referrers("ref/app", subject.digest());
        assertEquals(List.of(new Referrer(sig.digest(), sig.mediaType(), "application/vnd.example.sig", sig.size())),
                found);
        assertEquals(List.of(), client.referrers("ref/none", subject.digest()));
    }

    @Test
    void theReferrersApiIsReadOverItsPagesWhereARegistryHasIt() throws Exception {
        // No registry on this machine has the OCI 1.1 API: a stand-in answers as the spec says.
        Digest subject = Digest.sha256("subject".getBytes(StandardCharsets.UTF_8));
        Digest a = Digest.sha256("a".getBytes(StandardCharsets.UTF_8));
        Digest b = Digest.sha256("b".getBytes(StandardCharsets.UTF_8));
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/v2/", ex -> {
            String path = ex.getRequestURI().getPath();
            String body;
            int status = 200;
            if (path.equals("/v2/app/referrers/" + subject) && ex.getRequestURI().getQuery() == null) {
                ex.getResponseHeaders().add("Link", "</v2/app/referrers/" + subject + "?page=2>; rel=\"next\"");
                body = index(a, "application/vnd.example.sig");
            } else if (path.equals("/v2/app/referrers/" + subject)) {
                body = index(b, "application/spdx+json");
            } else {
                status = 404;
                body = "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known\"}]}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", MediaTypes.OCI_INDEX);
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        api.start();
        try {
            RegistryClient c = RegistryClientTest.client("http://127.0.0.1:" + api.getAddress().getPort(), false, null,
                    null);
            assertEquals(List.of(new Referrer(a, MediaTypes.OCI_MANIFEST, "application/vnd.example.sig", 10),
                    new Referrer(b, MediaTypes.OCI_MANIFEST, "application/spdx+json", 10)), c.referrers("app", subject));
            // A 404 with an OCI error body (NAME_UNKNOWN): no referrers.
            assertEquals(List.of(), c.referrers("other", subject));
        } finally {
            api.stop(0);
        }
    }

    private static String index(Digest d, String type) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + d + "\",\"size\":10,\"artifactType\":\"" + type + "\"}]}";
    }

    @Test
    void aManifestIsDeletedOnceAndATagDeleteIsRefusedClearly() {
        Pushed image = TestImages.image(client, "del/app", "v1", "linux/amd64", 31, 100);
        RemoteException tag = assertThrows(RemoteException.class, () -> client.deleteManifest("del/app", "v1"));
        assertEquals(RemoteException.Reason.REJECTED, tag.reason());
        assertTrue(tag.getMessage().contains("does not allow deletes of tags"), tag.getMessage());
        assertTrue(client.deleteManifest("del/app", image.digest().toString()));
        assertTrue(client.headManifest("del/app", "v1").isEmpty());
        assertFalse(client.deleteManifest("del/app", image.digest().toString()));
    }

    @Test
    void aRegistryThatRefusesDeletesIsTold() throws Exception {
        try (Distribution noDeletes = Distribution.withoutDeletes()) {
            RegistryClient c = RegistryClientTest.client(noDeletes.url(), false, null, null);
            Pushed image = TestImages.image(c, "keep/app", "v1", "linux/amd64", 41, 100);
            RemoteException e = assertThrows(RemoteException.class,
                    () -> c.deleteManifest("keep/app", image.digest().toString()));
            assertEquals(RemoteException.Reason.REJECTED, e.reason());
            assertTrue(e.getMessage().contains("does not allow deletes"), e.getMessage());
            assertEquals(405, e.status());
        }
    }
}
