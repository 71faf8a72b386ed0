package io.berth.registry.api;

import static io.berth.registry.support.BlobPushes.bytes;
import static io.berth.registry.support.RegistryErrors.assertError;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.oci.Digest;
import io.berth.registry.support.BlobPushes;
import io.berth.registry.support.TestDatabase;
import io.berth.registry.support.TestProjects;
import io.berth.storage.BlobNotFoundException;
import io.berth.storage.BlobStore;
import io.berth.storage.ObjectId;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.Socket;
import java.net.URI;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A body that is all of an upload so far and announces its length, and is bigger than a part,
 * goes to the store in one streamed PUT as the session's object (UploadService#putWhole). These
 * tests check where its bytes end up, that chunks may still follow it (the store copies it into
 * part 1), and that a failed or refused one leaves nothing behind.
 */
@QuarkusTest
class UploadWholeBodyTest {

    private static final int MIB = 1024 * 1024;

    @TestHTTPResource("/")
    URI base;

    @Inject
    BlobStore store;

    @Test
    void aWholeBodyIsOneObjectAndTheCommitKeepsIt() throws Exception {
        String name = TestProjects.create("whole") + "/app";
        byte[] content = bytes(10 * MIB + 7, System.nanoTime());
        String location = BlobPushes.start(name);
        ObjectId first = objectOf(location);

        given().contentType("application/octet-stream").body(content).when().patch(location)
                .then().statusCode(202).header("Range", "0-" + (content.length - 1));

        // The bytes went to a new object, which the row now names.
        ObjectId object = objectOf(location);
        assertNotEquals(first, object);
        assertEquals(content.length, store.size(object));
        assertEquals(content.length, TestDatabase.queryLong("SELECT tail_bytes FROM uploads WHERE id = ?::uuid", uuid(location)));

        Digest digest = Digest.sha256(content);
        given().queryParam("digest", digest.toString()).when().put(location).then().statusCode(201);
        // Committed in place: the blob is that very object.
        assertEquals(object.value().toString(), TestDatabase.queryOne(
                "SELECT object_id::text FROM blobs WHERE digest = ?", digest.toString()));
        assertArrayEquals(content, given().when().get("/v2/" + name + "/blobs/" + digest).asByteArray());

        // The same bytes pushed again elsewhere: stored once, the second copy is removed (just
        // after its commit was answered, so allow it a moment).
        String again = BlobPushes.start(TestProjects.create("whole-again") + "/app");
        given().contentType("application/octet-stream").body(content).when().patch(again).then().statusCode(202);
        ObjectId copy = objectOf(again);
        given().queryParam("digest", digest.toString()).when().put(again).then().statusCode(201);
        assertEquals(object.value().toString(), TestDatabase.queryOne(
                "SELECT object_id::text FROM blobs WHERE digest = ?", digest.toString()));
        assertTrue(eventuallyGone(copy), "the second copy of a stored blob was not deleted");
    }

    @Test
    void chunksAfterAWholeBodyFollowItsCopyAsPartOne() {
        String name = TestProjects.create("whole-more") + "/app";
        byte[] content = bytes(12 * MIB + 5, System.nanoTime());
        int firstLength = 9 * MIB;
        String location = BlobPushes.start(name);

        given().contentType("application/octet-stream").body(Arrays.copyOfRange(content, 0, firstLength))
                .when().patch(location).then().statusCode(202).header("Range", "0-" + (firstLength - 1));
        given().contentType("application/octet-stream").header("Content-Range", firstLength + "-" + (content.length - 1))
                .body(Arrays.copyOfRange(content, firstLength, content.length))
                .when().patch(location).then().statusCode(202).header("Range", "0-" + (content.length - 1));

        String id = uuid(location);
        assertEquals(1, TestDatabase.queryLong("SELECT jsonb_array_length(parts) FROM uploads WHERE id = ?::uuid", id));
        assertEquals(firstLength, TestDatabase.queryLong(
                "SELECT (parts -> 0 ->> 'length')::bigint FROM uploads WHERE id = ?::uuid", id));
        Digest digest = Digest.sha256(content);
        given().queryParam("digest", digest.toString()).when().put(location).then().statusCode(201);
        assertArrayEquals(content, given().when().get("/v2/" + name + "/blobs/" + digest).asByteArray());
    }

    @Test
    void aWholeBodyWithTheWrongDigestStoresNothing() {
        String name = TestProjects.create("whole-bad") + "/app";
        byte[] content = bytes(9 * MIB, System.nanoTime());
        String location = BlobPushes.start(name);
        given().contentType("application/octet-stream").body(content).when().patch(location).then().statusCode(202);
        ObjectId object = objectOf(location);

        assertError(given().queryParam("digest", Digest.sha256(new byte[] {7}).toString()).when().put(location),
                400, "DIGEST_INVALID");

        assertThrows(BlobNotFoundException.class, () -> store.size(object));
        assertError(given().when().get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertEquals(0, TestDatabase.queryLong("SELECT count(*) FROM blobs WHERE digest = ?",
                Digest.sha256(content).toString()));
    }

    @Test
    void aMonolithicPushOfAWholeBodyIsCheckedAgainstItsDigest() {
        String name = TestProjects.create("whole-mono") + "/app";
        byte[] content = bytes(9 * MIB + 1, System.nanoTime());
        Digest digest = BlobPushes.push(name, content);
        assertArrayEquals(content, given().when().get("/v2/" + name + "/blobs/" + digest).asByteArray());

        byte[] other = bytes(9 * MIB + 2, System.nanoTime());
        var refused = given().contentType("application/octet-stream").body(other)
                .queryParam("digest", Digest.sha256(new byte[] {1}).toString())
                .when().post("/v2/" + name + "/blobs/uploads/");
        assertError(refused, 400, "DIGEST_INVALID");
        assertEquals(0, TestDatabase.queryLong("SELECT count(*) FROM blobs WHERE digest = ?",
                Digest.sha256(other).toString()));
    }

    @Test
    void aClientThatHangsUpMidWholeBodyLeavesTheSessionEmptyForARetry() throws Exception {
        String name = TestProjects.create("whole-hangup") + "/app";
        byte[] content = bytes(12 * MIB, System.nanoTime());
        String location = BlobPushes.start(name);
        try (var socket = new Socket(base.getHost(), base.getPort())) {
            var out = socket.getOutputStream();
            out.write(BlobPushes.rawPatchHead(location, content.length));
            out.write(content, 0, 9 * MIB);
            out.flush();
            Thread.sleep(500);
        }
        // Once the server has noticed, the session is as it was: nothing received. (A PATCH in
        // flight holds the session's lock, so this GET also waits for it to end.)
        String range = null;
        for (int attempt = 0; attempt < 30; attempt++) {
            range = given().when().get(location).then().statusCode(204).extract().header("Range");
            if (range.equals("0-0")) {
                break;
            }
            Thread.sleep(200);
        }
        assertEquals("0-0", range);
        assertEquals(0, TestDatabase.queryLong("SELECT received_bytes FROM uploads WHERE id = ?::uuid", uuid(location)));

        given().contentType("application/octet-stream").body(content).when().patch(location).then().statusCode(202);
        Digest digest = Digest.sha256(content);
        given().queryParam("digest", digest.toString()).when().put(location).then().statusCode(201);
        assertArrayEquals(content, given().when().get("/v2/" + name + "/blobs/" + digest).asByteArray());
    }

    private boolean eventuallyGone(ObjectId object) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            try {
                store.size(object);
            } catch (BlobNotFoundException gone) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static String uuid(String location) {
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static ObjectId objectOf(String location) {
        return new ObjectId(UUID.fromString((String) TestDatabase.queryOne(
                "SELECT object_id::text FROM uploads WHERE id = ?::uuid", uuid(location))));
    }
}
