package io.berth.replicator.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.replicator.support.Distribution;
import io.berth.replicator.support.TestImages;
import io.berth.replicator.support.TestImages.Pushed;
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
