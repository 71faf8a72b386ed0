package io.berth.registry.api;

import static io.berth.registry.support.BlobPushes.bytes;
import static io.berth.registry.support.RegistryErrors.assertError;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.oci.Digest;
import io.berth.registry.support.BlobPushes;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Cross-repository mounts, and the fall back to an ordinary upload. */
@QuarkusTest
class BlobMountTest {

    @Test
    void aBlobIsMountedFromAnotherRepository() {
        byte[] content = bytes(2000, 1);
        String source = TestProjects.create("mount-src") + "/base";
        String target = TestProjects.create("mount-dst") + "/app";
        Digest digest = BlobPushes.push(source, content);

        var response = given().queryParam("mount", digest.toString()).queryParam("from", source)
                .when().post("/v2/" + target + "/blobs/uploads/");

        assertEquals(201, response.statusCode(), response::asString);
        assertEquals("/v2/" + target + "/blobs/" + digest, response.header("Location"));
        assertEquals(digest.toString(), response.header("Docker-Content-Digest"));
        assertArrayEquals(content, given().get("/v2/" + target + "/blobs/" + digest).asByteArray());
    }

    @Test
    void aMountThatCannotBeServedOpensASession() {
        String source = TestProjects.create("mount-miss") + "/base";
        String target = TestProjects.create("mount-miss-dst") + "/app";
        Digest missing = Digest.sha256(bytes(10, 2));
        BlobPushes.push(source, bytes(10, 3));

        var notThere = given().queryParam("mount", missing.toString()).queryParam("from", source)
                .when().post("/v2/" + target + "/blobs/uploads/");
        var badFrom = given().queryParam("mount", missing.toString()).queryParam("from", "Not/Valid")
                .when().post("/v2/" + target + "/blobs/uploads/");

        for (var response : new io.restassured.response.Response[] {notThere, badFrom}) {
            assertEquals(202, response.statusCode(), response::asString);
            String uuid = response.header("Docker-Upload-UUID");
            assertEquals("/v2/" + target + "/blobs/uploads/" + uuid, response.header("Location"));
        }
        assertEquals(404, given().when().head("/v2/" + target + "/blobs/" + missing).statusCode());
    }

    @Test
    void withoutFromOnlyTheTargetsOwnProjectIsSearched() {
        byte[] content = bytes(500, 4);
        String project = TestProjects.create("mount-auto");
        Digest digest = BlobPushes.push(project + "/base", content);
        String foreign = TestProjects.create("mount-foreign") + "/app";

        given().queryParam("mount", digest.toString()).when().post("/v2/" + project + "/app/blobs/uploads/")
                .then().statusCode(201).header("Docker-Content-Digest", digest.toString());
        given().queryParam("mount", digest.toString()).when().post("/v2/" + foreign + "/blobs/uploads/")
                .then().statusCode(202);
        assertEquals(404, given().when().head("/v2/" + foreign + "/blobs/" + digest).statusCode());
    }

    @Test
    void aMountWithABadDigestOrIntoAnUnknownProjectFails() {
        String source = TestProjects.create("mount-err") + "/base";
        assertError(given().queryParam("mount", "sha256:xyz").queryParam("from", source)
                .when().post("/v2/" + source + "-x/blobs/uploads/"), 400, "DIGEST_INVALID");
        Digest digest = BlobPushes.push(source, bytes(10, 5));
        assertError(given().queryParam("mount", digest.toString()).queryParam("from", source)
                .when().post("/v2/no-such-project-" + java.util.UUID.randomUUID() + "/blobs/uploads/"),
                404, "NAME_UNKNOWN");
    }
}
