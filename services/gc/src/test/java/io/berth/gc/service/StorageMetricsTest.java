package io.berth.gc.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.gc.support.RegistryFixture;
import io.berth.gc.support.RegistryFixture.Blob;
import io.berth.gc.support.TestAuth;
import io.berth.storage.BlobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** {@code registry_storage_bytes_total} on /q/metrics: the store's total and each project's usage. */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class StorageMetricsTest {

    @Inject
    StorageMetrics metrics;

    @Inject
    DataSource db;

    @Inject
    BlobStore store;

    @Test
    void eachBlobCountsOnceInTheTotalAndOncePerProjectThatUsesIt() {
        RegistryFixture registry = new RegistryFixture(db, store);
        long one = registry.project("storage");
        long two = registry.project("storage");
        long repoOne = registry.repository(one, "app");
        long repoTwo = registry.repository(two, "app");
        Blob shared = registry.blob(repoOne, false, 10_000);
        registry.link(repoTwo, shared.digest(), false);
        var m1 = registry.manifest(repoOne, List.of(shared), List.of(), null, "v1", Instant.now());
        var m2 = registry.manifest(repoTwo, List.of(shared), List.of(), null, "v1", Instant.now());
        registry.settleUsage(one);
        registry.settleUsage(two);
        long blobTotal = registry.number("SELECT sum(size) FROM blobs");

        metrics.refresh();
        String scrape = given().when().get("/q/metrics").then().statusCode(200).extract().asString();

        assertEquals(10_000 + m1.size(), value(scrape, registry.projectName(one)));
        assertEquals(10_000 + m2.size(), value(scrape, registry.projectName(two)));
        Matcher total = Pattern.compile("(?m)^registry_storage_bytes_total\\{[^}]*scope=\"total\"[^}]*} (\\S+)$")
                .matcher(scrape);
        assertTrue(total.find(), scrape);
        assertEquals(blobTotal, (long) Double.parseDouble(total.group(1)), "the shared blob counts once in the total");
    }

    private static long value(String scrape, String project) {
        Matcher m = Pattern.compile("(?m)^registry_storage_bytes_total\\{[^}]*project=\"" + Pattern.quote(project)
                + "\"[^}]*} (\\S+)$").matcher(scrape);
        assertTrue(m.find(), "no registry_storage_bytes_total for " + project + " in\n"
                + scrape.lines().filter(l -> l.contains("storage")).toList());
        return (long) Double.parseDouble(m.group(1));
    }
}
