package io.berth.registry.api;

import static io.berth.registry.support.BlobPushes.bytes;
import static io.berth.registry.support.RegistryErrors.assertError;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.registry.service.RunningDigests;
import io.berth.registry.service.RunningDigestsHook;
import io.berth.registry.support.BlobPushes;
import io.berth.registry.support.TestDatabase;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The ways a blob gets pushed: monolithic, streamed, chunked, and continued after a "restart". */
@QuarkusTest
class UploadFlowTest {

    private static final int MIB = 1024 * 1024;

    @Inject
    RunningDigests digests;

    @Test
    void monolithicPostStoresTheBlobInOneRequest() {
        String name = TestProjects.create("mono") + "/app";
        byte[] content = bytes(100_000, 1);
        Digest digest = Digest.sha256(content);

        var response = given().contentType("application/octet-stream").body(content)
                .queryParam("digest", digest.toString())
                .when().post("/v2/" + name + "/blobs/uploads/");

        assertEquals(201, response.statusCode(), response::asString);
        assertEquals("/v2/" + name + "/blobs/" + digest, response.header("Location"));
        assertEquals(digest.toString(), response.header("Docker-Content-Digest"));
        assertArrayEquals(content, given().get("/v2/" + name + "/blobs/" + digest).asByteArray());
        assertEquals(0, TestDatabase.queryLong("SELECT count(*) FROM uploads u JOIN repositories r "
                + "ON r.id = u.repository_id WHERE r.name = ?", name), "the session row is gone");
    }

    @Test
    void postOpensASessionWithTheSpecHeaders() {
        String name = TestProjects.create("open") + "/app";

        var response = given().when().post("/v2/" + name + "/blobs/uploads/");

        assertEquals(202, response.statusCode());
        String uuid = response.header("Docker-Upload-UUID");
        assertEquals("/v2/" + name + "/blobs/uploads/" + uuid, response.header("Location"));
        assertEquals("0-0", response.header("Range"));
        assertEquals("0", response.header("Content-Length"));
    }

    @Test
    void streamedPatchThenPutCommits() {
        String name = TestProjects.create("stream") + "/app";
        byte[] content = bytes(3 * MIB + 17, 2);
        Digest digest = Digest.sha256(content);
        String location = BlobPushes.start(name);

        var patched = given().contentType("application/octet-stream").body(content).when().patch(location);
        assertEquals(202, patched.statusCode(), patched::asString);
        assertEquals("0-" + (content.length - 1), patched.header("Range"));
        assertEquals(location, patched.header("Location"));

        var put = given().queryParam("digest", digest.toString()).when().put(location);
        assertEquals(201, put.statusCode(), put::asString);
        assertEquals("/v2/" + name + "/blobs/" + digest, put.header("Location"));
        assertEquals(digest.toString(), put.header("Docker-Content-Digest"));
        assertArrayEquals(content, given().get("/v2/" + name + "/blobs/" + digest).asByteArray());
    }

    @Test
    void chunksCrossPartBoundariesAndAFinalChunkCompletesTheUpload() {
        String name = TestProjects.create("chunks") + "/app";
        byte[] content = bytes(12 * MIB + 5, 3);
        Digest digest = Digest.sha256(content);
        String location = BlobPushes.start(name);
        String uuid = location.substring(location.lastIndexOf('/') + 1);

        patchChunk(location, content, 0, 6 * MIB);
        assertSession(uuid, 6 * MIB, 6 * MIB, 0);
        patchChunk(location, content, 6 * MIB, 7 * MIB);
        assertSession(uuid, 7 * MIB, 7 * MIB, 0);
        patchChunk(location, content, 7 * MIB, 10 * MIB);
        // The third chunk filled the first 8 MiB part; 2 MiB wait in the tail.
        assertSession(uuid, 10 * MIB, 2 * MIB, 1);

        var put = given().contentType("application/octet-stream")
                .header("Content-Range", (10 * MIB) + "-" + (content.length - 1))
                .body(Arrays.copyOfRange(content, 10 * MIB, content.length))
                .queryParam("digest", digest.toString()).when().put(location);
        assertEquals(201, put.statusCode(), put::asString);
        assertArrayEquals(content, given().get("/v2/" + name + "/blobs/" + digest).asByteArray());
        assertEquals(content.length, TestDatabase.queryLong("SELECT size FROM blobs WHERE digest = ?", digest.toString()));
    }

    @Test
    void aSessionContinuedWithoutItsRunningDigestIsVerifiedFromStorage() {
        String name = TestProjects.create("elsewhere") + "/app";
        byte[] content = bytes(9 * MIB + 3, 4);
        Digest digest = Digest.sha256(content);
        String location = BlobPushes.start(name);

        patchChunk(location, content, 0, 4 * MIB);
        RunningDigestsHook.forgetAll(digests);
        patchChunk(location, content, 4 * MIB, content.length);

        var put = given().queryParam("digest", digest.toString()).when().put(location);
        assertEquals(201, put.statusCode(), put::asString);
        assertArrayEquals(content, given().get("/v2/" + name + "/blobs/" + digest).asByteArray());
    }

    @Test
    void aWrongDigestAfterARestartIsStillRefused() {
        String name = TestProjects.create("elsewhere-bad") + "/app";
        byte[] content = bytes(2 * MIB, 5);
        String location = BlobPushes.start(name);
        patchChunk(location, content, 0, content.length);
        RunningDigestsHook.forgetAll(digests);

        var put = given().queryParam("digest", Digest.sha256(new byte[] {1}).toString()).when().put(location);

        assertError(put, 400, "DIGEST_INVALID");
    }

    @Test
    void sha512WorksMonolithicAndChunked() {
        String name = TestProjects.create("sha512") + "/app";
        byte[] content = bytes(6 * MIB + 1, 6);
        Digest digest = Digest.compute(DigestAlgorithm.SHA512, content);

        given().contentType("application/octet-stream").body(content).queryParam("digest", digest.toString())
                .when().post("/v2/" + name + "/blobs/uploads/").then().statusCode(201)
                .header("Docker-Content-Digest", digest.toString());
        String other = TestProjects.create("sha512b") + "/app";
        String location = BlobPushes.start(other);
        patchChunk(location, content, 0, content.length);
        given().queryParam("digest", digest.toString()).when().put(location).then().statusCode(201);

        assertArrayEquals(content, given().get("/v2/" + other + "/blobs/" + digest).asByteArray());
        given().when().head("/v2/" + name + "/blobs/" + digest).then().statusCode(200)
                .header("Content-Length", String.valueOf(content.length));
    }

    @Test
    void anEmptyBlobCanBePushed() {
        String name = TestProjects.create("empty") + "/app";
        Digest digest = Digest.sha256(new byte[0]);
        String location = BlobPushes.start(name);

        given().queryParam("digest", digest.toString()).when().put(location).then().statusCode(201);

        given().when().head("/v2/" + name + "/blobs/" + digest).then().statusCode(200).header("Content-Length", "0");
        assertEquals(0, given().get("/v2/" + name + "/blobs/" + digest).asByteArray().length);
    }

    @Test
    void theSameBlobInTwoProjectsIsStoredOnce() {
        // Fresh bytes: the counts below must not include earlier runs against the same database.
        byte[] content = bytes(7 * MIB, System.nanoTime());
        Digest digest = Digest.sha256(content);
        String first = TestProjects.create("dedupe-a") + "/app";
        String second = TestProjects.create("dedupe-b") + "/app";
        BlobPushes.push(first, content);
        String location = BlobPushes.start(second);
        String uuid = location.substring(location.lastIndexOf('/') + 1);
        patchChunk(location, content, 0, content.length);
        Object secondObject = TestDatabase.queryOne("SELECT object_id FROM uploads WHERE id = ?::uuid", uuid);

        given().queryParam("digest", digest.toString()).when().put(location).then().statusCode(201);

        assertEquals(1, TestDatabase.queryLong("SELECT count(*) FROM blobs WHERE digest = ?", digest.toString()));
        assertEquals(2, TestDatabase.queryLong("SELECT count(*) FROM repository_blobs WHERE digest = ?", digest.toString()));
        assertEquals(0, TestDatabase.queryLong("SELECT count(*) FROM blobs WHERE object_id = ?", secondObject),
                "the second copy's object is not the stored one");
        assertArrayEquals(content, given().get("/v2/" + second + "/blobs/" + digest).asByteArray());
    }

    static void patchChunk(String location, byte[] content, int from, int to) {
        var response = given().contentType("application/octet-stream")
                .header("Content-Range", from + "-" + (to - 1))
                .body(Arrays.copyOfRange(content, from, to)).when().patch(location);
        assertEquals(202, response.statusCode(), response::asString);
        assertEquals("0-" + (to - 1), response.header("Range"));
        assertTrue(response.header("Docker-Upload-UUID") != null);
    }

    private static void assertSession(String uuid, long received, long tail, int parts) {
        assertEquals(received, TestDatabase.queryLong("SELECT received_bytes FROM uploads WHERE id = ?::uuid", uuid));
        assertEquals(tail, TestDatabase.queryLong("SELECT tail_bytes FROM uploads WHERE id = ?::uuid", uuid));
        assertEquals(parts, TestDatabase.queryLong("SELECT jsonb_array_length(parts) FROM uploads WHERE id = ?::uuid", uuid));
    }
}
