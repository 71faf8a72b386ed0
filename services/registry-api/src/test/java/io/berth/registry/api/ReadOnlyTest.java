package io.berth.registry.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.registry.service.ReadOnlyMode;
import io.berth.registry.support.BlobPushes;
import io.berth.registry.support.Images;
import io.berth.registry.support.Images.Image;
import io.berth.registry.support.ManagementErrors;
import io.berth.registry.support.TestDatabase;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Read-only mode (docs/adr/0022): auth's switch in {@code system_settings} reaches registry-api
 * by its poll (no forced refresh here), then every write to {@code /v2} and every management
 * delete is 503 UNAVAILABLE with {@code Retry-After}, an upload opened before included, while
 * reads go on; switching it off restores writes.
 */
@QuarkusTest
class ReadOnlyTest {

    @Inject
    ReadOnlyMode mode;

    @AfterEach
    void writable() {
        TestDatabase.update("UPDATE system_settings SET read_only = false");
        mode.refresh();
    }

    @Test
    void whileReadOnlyWritesAreRefusedAndReadsWork() {
        String repo = TestProjects.create("readonly") + "/app";
        Image image = Images.of(repo, 1, 3_000);
        Images.pushOk(image, "v1");
        String upload = BlobPushes.start(repo);

        TestDatabase.update("UPDATE system_settings SET read_only = true");
        Response refused = within(5_000, () -> given().when().post("/v2/" + repo + "/blobs/uploads/")
                .then().extract().response(), r -> r.statusCode() == 503);
        assertReadOnly(refused);

        byte[] chunk = BlobPushes.bytes(100, 7);
        assertReadOnly(given().contentType("application/octet-stream").body(chunk)
                .when().patch(upload).then().extract().response());
        assertReadOnly(given().contentType("application/vnd.oci.image.manifest.v1+json").body(image.manifest())
                .when().put("/v2/" + repo + "/manifests/v2").then().extract().response());
        assertReadOnly(given().when().delete("/v2/" + repo + "/manifests/" + image.digest()).then().extract().response());
        assertReadOnly(given().when().delete(upload).then().extract().response());
        Response managed = BrowseFixtures.delete(BrowseFixtures.repoPath(repo) + "/artifacts/" + image.digest(),
                BrowseFixtures.bearer("repository:" + repo + ":delete,pull"));
        ManagementErrors.assertManagementError(managed, 503, "UNAVAILABLE");
        assertTrue(managed.header("Retry-After") != null, "Retry-After on the management API too");

        given().when().get("/v2/" + repo + "/manifests/v1").then().statusCode(200);
        given().when().get("/v2/" + repo + "/tags/list").then().statusCode(200).body("tags[0]", equalTo("v1"));
        given().when().get(upload).then().statusCode(204);
        BrowseFixtures.get(BrowseFixtures.repoPath(repo) + "/artifacts", BrowseFixtures.bearer("repository:" + repo + ":pull"))
                .then().statusCode(200);

        TestDatabase.update("UPDATE system_settings SET read_only = false");
        within(5_000, () -> given().contentType("application/octet-stream").body(chunk)
                .when().patch(upload).then().extract().response(), r -> r.statusCode() == 202);
        Images.pushOk(Images.of(repo, 2, 3_000), "v2");
    }

    private static void assertReadOnly(Response answer) {
        assertEquals(503, answer.statusCode(), answer::asString);
        answer.then().contentType("application/json")
                .body("errors[0].code", equalTo("UNAVAILABLE"))
                .body("errors[0].message", containsString("read-only"));
        assertEquals("60", answer.header("Retry-After"));
    }

    /** Repeats {@code call} until {@code done} holds or {@code millis} pass; the last answer. */
    private static Response within(long millis, Supplier<Response> call, java.util.function.Predicate<Response> done) {
        long deadline = System.currentTimeMillis() + millis;
        Response last = call.get();
        while (!done.test(last) && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            last = call.get();
        }
        return last;
    }
}
