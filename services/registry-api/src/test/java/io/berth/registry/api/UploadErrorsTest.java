package io.berth.registry.api;

import io.berth.registry.support.TestTokens;

import static io.berth.registry.api.UploadFlowTest.patchChunk;
import static io.berth.registry.support.BlobPushes.bytes;
import static io.berth.registry.support.RegistryErrors.assertError;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.oci.Digest;
import io.berth.registry.support.BlobPushes;
import io.berth.registry.support.TestDatabase;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every way an upload can go wrong, and what the client is told. */
@QuarkusTest
class UploadErrorsTest {

    private static final String UNKNOWN = "/blobs/uploads/" + UUID.randomUUID();

    @TestHTTPResource("/")
    URI base;

    @Test
    void aChunkThatDoesNotStartAtTheEndIs416WithTheCurrentRange() {
        String name = TestProjects.create("order") + "/app";
        byte[] content = bytes(1000, 1);
        String location = BlobPushes.start(name);
        patchChunk(location, content, 0, 400);

        var response = given().contentType("application/octet-stream").header("Content-Range", "500-999")
                .body(java.util.Arrays.copyOfRange(content, 500, 1000)).when().patch(location);

        assertError(response, 416, "RANGE_INVALID");
        assertEquals("0-399", response.header("Range"));
        assertEquals(location, response.header("Location"));
        given().when().get(location).then().statusCode(204).header("Range", "0-399");
    }

    @Test
    void twoChunksForTheSameOffsetAtOnceAreSerialisedAndOneIsRefused() throws Exception {
        String name = TestProjects.create("race") + "/app";
        byte[] content = bytes(6 * 1024 * 1024, 9);
        String location = BlobPushes.start(name);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Callable<Integer> patch = () -> given().contentType("application/octet-stream")
                    .header("Content-Range", "0-" + (content.length - 1)).body(content)
                    .when().patch(location).statusCode();
            var first = pool.submit(patch);
            var second = pool.submit(patch);
            var statuses = java.util.List.of(first.get(), second.get());

            assertTrue(statuses.contains(202) && statuses.contains(416), statuses::toString);
        } finally {
            pool.shutdownNow();
        }
        given().when().get(location).then().statusCode(204).header("Range", "0-" + (content.length - 1));
        given().queryParam("digest", Digest.sha256(content).toString()).when().put(location).then().statusCode(201);
    }

    @Test
    void aContentRangeThatDisagreesWithContentLengthIsSizeInvalid() {
        String name = TestProjects.create("range-len") + "/app";
        String location = BlobPushes.start(name);

        var response = given().contentType("application/octet-stream").header("Content-Range", "0-99")
                .body(new byte[50]).when().patch(location);

        assertError(response, 400, "SIZE_INVALID");
        given().when().get(location).then().statusCode(204).header("Range", "0-0");
    }

    @Test
    void aBodyShorterThanItsContentRangeIsSizeInvalid() throws Exception {
        String name = TestProjects.create("short") + "/app";
        String location = BlobPushes.start(name);
        // No length is announced (chunked transfer), so only the Content-Range tells what to expect.
        var request = HttpRequest.newBuilder(base.resolve(location))
                .header("Authorization", TestTokens.authorizationFor("PATCH", location))
                .header("Content-Type", "application/octet-stream").header("Content-Range", "0-999")
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[600])))
                .build();

        var response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());

        assertEquals(400, response.statusCode(), response.body());
        assertEquals("SIZE_INVALID", new io.restassured.path.json.JsonPath(response.body()).getString("errors[0].code"));
        // The session is left where it was, and usable.
        given().when().get(location).then().statusCode(204).header("Range", "0-0");
        byte[] content = bytes(1000, 2);
        patchChunk(location, content, 0, 1000);
        given().queryParam("digest", Digest.sha256(content).toString()).when().put(location).then().statusCode(201);
    }

    @Test
    void aClientThatHangsUpMidPatchLeavesTheSessionAtAPartBoundary() throws Exception {
        String name = TestProjects.create("hangup") + "/app";
        int mib = 1024 * 1024;
        byte[] content = bytes(12 * mib, 8);
        String location = BlobPushes.start(name);
        // A body of unannounced length goes through parts: send 9 MiB (one full 8 MiB part and
        // then some), then hang up.
        try (var socket = new java.net.Socket(base.getHost(), base.getPort())) {
            var out = socket.getOutputStream();
            out.write(BlobPushes.rawChunkedPatchHead(location));
            out.write(BlobPushes.rawChunk(content, 0, 9 * mib));
            out.flush();
            Thread.sleep(1000);
        }
        Thread.sleep(1000);

        // The first 8 MiB part was complete before the hang-up, so the session must keep exactly
        // that prefix (a part boundary) once the server has noticed the hang-up.
        long received = -1;
        for (int attempt = 0; attempt < 30 && received != 8 * mib; attempt++) {
            String range = given().when().get(location).then().statusCode(204).extract().header("Range");
            received = range.equals("0-0") ? 0 : Long.parseLong(range.substring(2)) + 1;
            if (received != 8 * mib) {
                Thread.sleep(500);
            }
        }
        assertEquals(8L * mib, received, "the session should keep the one complete part");
        long resumeAt = -1;
        var resumed = given().contentType("application/octet-stream")
                .header("Content-Range", received + "-" + (content.length - 1))
                .body(java.util.Arrays.copyOfRange(content, (int) received, content.length)).when().patch(location);
        if (resumed.statusCode() == 202) {
            resumeAt = received;
        }
        assertTrue(resumeAt >= 0, "the session never became resumable");
        given().queryParam("digest", Digest.sha256(content).toString()).when().put(location).then().statusCode(201);
    }

    @Test
    void aDigestMismatchDiscardsTheUploadAndStoresNothing() {
        String name = TestProjects.create("mismatch") + "/app";
        // Fresh bytes: blobs are shared by the whole test database, and this one must not exist.
        byte[] content = bytes(6 * 1024 * 1024 + 10, System.nanoTime());
        Digest actual = Digest.sha256(content);
        String location = BlobPushes.start(name);
        patchChunk(location, content, 0, content.length);

        var response = given().queryParam("digest", Digest.sha256(new byte[] {42}).toString()).when().put(location);

        assertError(response, 400, "DIGEST_INVALID");
        given().when().head("/v2/" + name + "/blobs/" + actual).then().statusCode(404);
        assertError(given().when().get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertEquals(0, TestDatabase.queryLong("SELECT count(*) FROM blobs WHERE digest = ?", actual.toString()));
    }

    @Test
    void aMonolithicPushWithTheWrongDigestIsRefused() {
        String name = TestProjects.create("mono-bad") + "/app";
        byte[] content = bytes(500, System.nanoTime());

        var response = given().contentType("application/octet-stream").body(content)
                .queryParam("digest", Digest.sha256(new byte[] {1}).toString())
                .when().post("/v2/" + name + "/blobs/uploads/");

        assertError(response, 400, "DIGEST_INVALID");
        assertEquals(0, TestDatabase.queryLong("SELECT count(*) FROM blobs WHERE digest = ?",
                Digest.sha256(content).toString()));
    }

    @Test
    void aPutWithoutADigestIsDigestInvalidAndKeepsTheSession() {
        String name = TestProjects.create("nodigest") + "/app";
        String location = BlobPushes.start(name);

        assertError(given().when().put(location), 400, "DIGEST_INVALID");
        assertError(given().queryParam("digest", "sha256:nothex").when().put(location), 400, "DIGEST_INVALID");
        assertError(given().queryParam("digest", "md5:" + "0".repeat(32)).when().put(location), 400, "DIGEST_INVALID");
        given().when().get(location).then().statusCode(204);
    }

    @Test
    void statusAndCancel() {
        String name = TestProjects.create("cancel") + "/app";
        String location = BlobPushes.start(name);
        String uuid = location.substring(location.lastIndexOf('/') + 1);
        patchChunk(location, bytes(6 * 1024 * 1024, 5), 0, 6 * 1024 * 1024);

        given().when().get(location).then().statusCode(204)
                .header("Range", "0-" + (6 * 1024 * 1024 - 1))
                .header("Docker-Upload-UUID", uuid)
                .header("Location", location);
        given().when().delete(location).then().statusCode(204);

        assertError(given().when().get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(given().when().delete(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertEquals(0, TestDatabase.queryLong("SELECT count(*) FROM uploads WHERE id = ?::uuid", uuid));
    }

    @Test
    void unknownUploadsAreBlobUploadUnknownForEveryMethod() {
        String name = TestProjects.create("unknown") + "/app";
        BlobPushes.start(name);
        String path = "/v2/" + name + UNKNOWN;
        String digest = Digest.sha256(new byte[0]).toString();

        assertError(given().when().get(path), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(given().contentType("application/octet-stream").body(new byte[3]).when().patch(path),
                404, "BLOB_UPLOAD_UNKNOWN");
        assertError(given().queryParam("digest", digest).when().put(path), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(given().when().delete(path), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(given().when().get("/v2/" + name + "/blobs/uploads/not-a-uuid"), 404, "BLOB_UPLOAD_UNKNOWN");
        // A session belongs to its repository: its uuid means nothing in another one.
        String other = BlobPushes.start(name);
        assertError(given().when().get(other.replace("/app/", "/other/")), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void invalidNamesAreNameInvalid() {
        assertError(given().when().post("/v2/UPPER/blobs/uploads/"), 400, "NAME_INVALID");
        assertError(given().urlEncodingEnabled(false).when().post("/v2/%2e%2e/blobs/uploads/"), 400, "NAME_INVALID");
        assertError(given().urlEncodingEnabled(false).when().post("/v2/team/%2e%2e/app/blobs/uploads/"),
                400, "NAME_INVALID");
        // HEAD answers carry no body: only the status tells.
        given().when().head("/v2/Team/app/blobs/" + Digest.sha256(new byte[0])).then().statusCode(400);
    }

    @Test
    void aMissingProjectIsNameUnknown() {
        assertError(given().when().post("/v2/no-such-project-" + UUID.randomUUID() + "/app/blobs/uploads/"),
                404, "NAME_UNKNOWN");
        assertError(given().contentType("application/octet-stream").body(new byte[1])
                .queryParam("digest", Digest.sha256(new byte[1]).toString())
                .when().post("/v2/no-such-project-" + UUID.randomUUID() + "/blobs/uploads/"), 404, "NAME_UNKNOWN");
    }

    @Test
    void aRepositoryNamedLikeARouteStillRoutes() {
        // "blobs" and "uploads" are legal path components of a repository name.
        String name = TestProjects.create("routes") + "/blobs/uploads";
        byte[] content = bytes(10, 6);
        Digest digest = BlobPushes.push(name, content);
        String location = BlobPushes.start(name);

        given().when().get(location).then().statusCode(204);
        given().when().head("/v2/" + name + "/blobs/" + digest).then().statusCode(200);
    }
}
