package io.berth.registry.api;

import static io.berth.registry.support.BlobPushes.bytes;
import static io.berth.registry.support.RegistryErrors.assertError;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.oci.Digest;
import io.berth.oci.RegistryErrorCode;
import io.berth.registry.support.BlobPushes;
import io.berth.registry.support.RegistryRows;
import io.berth.registry.support.TestProjects;
import io.berth.storage.BlobStore;
import io.berth.storage.S3BlobStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** HEAD, GET (whole and ranged) and DELETE of blobs, and what a repository may see. */
@QuarkusTest
class BlobReadTest {

    @Inject
    BlobStore store;

    /** Whether GETs go through DirectRelay here (BlobReadVertxClientTest runs these with Vert.x's client). */
    boolean directRelay() {
        return true;
    }

    @Test
    void theBytesTakeTheConfiguredPath() {
        String name = TestProjects.create("path") + "/app";
        byte[] content = bytes(70_000, 9);
        Digest digest = BlobPushes.push(name, content);
        long before = ((S3BlobStore) store).relayedTransfers();

        assertArrayEquals(content, given().when().get("/v2/" + name + "/blobs/" + digest).then().statusCode(200)
                .extract().asByteArray());

        assertEquals(directRelay() ? before + 1 : before, ((S3BlobStore) store).relayedTransfers());
    }

    @Test
    void headAnswersSizeDigestAndTypeWithoutABody() {
        String name = TestProjects.create("head") + "/app";
        byte[] content = bytes(1234, 1);
        Digest digest = BlobPushes.push(name, content);

        var response = given().when().head("/v2/" + name + "/blobs/" + digest);

        assertEquals(200, response.statusCode());
        assertEquals("1234", response.header("Content-Length"));
        assertEquals(digest.toString(), response.header("Docker-Content-Digest"));
        assertEquals("application/octet-stream", response.contentType());
        assertEquals("bytes", response.header("Accept-Ranges"));
        assertEquals(0, response.asByteArray().length);
    }

    @Test
    void getStreamsTheBytes() {
        String name = TestProjects.create("get") + "/app";
        byte[] content = bytes(300_000, 2);
        Digest digest = BlobPushes.push(name, content);

        var response = given().when().get("/v2/" + name + "/blobs/" + digest);

        assertEquals(200, response.statusCode());
        assertEquals("300000", response.header("Content-Length"));
        assertEquals(digest.toString(), response.header("Docker-Content-Digest"));
        assertArrayEquals(content, response.asByteArray());
    }

    @Test
    void aLargeBlobIsPipedWholeFromTheStore() throws Exception {
        String name = TestProjects.create("getlarge") + "/app";
        byte[] content = bytes(24 * 1024 * 1024 + 17, 5);
        Digest digest = BlobPushes.push(name, content);

        try (var in = given().when().get("/v2/" + name + "/blobs/" + digest).then().statusCode(200)
                .header("Content-Length", String.valueOf(content.length)).extract().asInputStream()) {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(chunk)) > 0; total += n) {
                md.update(chunk, 0, n);
            }
            assertEquals(content.length, total);
            assertEquals(digest, Digest.of(io.berth.oci.DigestAlgorithm.SHA256, md.digest()));
        }
    }

    @Test
    void manySmallReadsInARowAreEachWhole() {
        // A tiny body can be over before the pipe is attached unless the pipe is set up on the
        // event loop as the store's answer arrives; this is the case that showed it.
        String name = TestProjects.create("tiny") + "/app";
        byte[] content = bytes(64, 6);
        Digest digest = BlobPushes.push(name, content);
        for (int i = 0; i < 200; i++) {
            var tail = given().header("Range", "bytes=-5").when().get("/v2/" + name + "/blobs/" + digest);
            assertEquals(206, tail.statusCode(), "round " + i);
            assertEquals("bytes 59-63/64", tail.header("Content-Range"), "round " + i);
            assertArrayEquals(Arrays.copyOfRange(content, 59, 64), tail.asByteArray(), "round " + i);
            assertArrayEquals(content, given().when().get("/v2/" + name + "/blobs/" + digest).asByteArray(), "round " + i);
        }
    }

    @Test
    void aBlobTheStoreLostIsBlobUnknownWithTheSpecBody() {
        String name = TestProjects.create("lost") + "/app";
        // Rows only: the database links the blob, the store has no object for it.
        Digest digest = RegistryRows.blob(name, "application/octet-stream", "lost-" + Math.random()).digest();

        given().when().head("/v2/" + name + "/blobs/" + digest).then().statusCode(200);
        assertError(given().when().get("/v2/" + name + "/blobs/" + digest).then(), RegistryErrorCode.BLOB_UNKNOWN)
                .header("Docker-Content-Digest", org.hamcrest.Matchers.nullValue())
                .body("errors[0].detail.digest", org.hamcrest.Matchers.equalTo(digest.toString()));
        assertError(given().header("Range", "bytes=0-3").when().get("/v2/" + name + "/blobs/" + digest).then(),
                RegistryErrorCode.BLOB_UNKNOWN);
    }

    @Test
    void rangesAreServedAs206AndUnsatisfiableOnesAs416() {
        String name = TestProjects.create("range") + "/app";
        byte[] content = bytes(1000, 3);
        Digest digest = BlobPushes.push(name, content);
        String path = "/v2/" + name + "/blobs/" + digest;

        var middle = given().header("Range", "bytes=10-19").when().get(path);
        assertEquals(206, middle.statusCode());
        assertEquals("bytes 10-19/1000", middle.header("Content-Range"));
        assertEquals("10", middle.header("Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(content, 10, 20), middle.asByteArray());

        var open = given().header("Range", "bytes=990-").when().get(path);
        assertEquals(206, open.statusCode());
        assertArrayEquals(Arrays.copyOfRange(content, 990, 1000), open.asByteArray());

        var suffix = given().header("Range", "bytes=-5").when().get(path);
        assertEquals("bytes 995-999/1000", suffix.header("Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(content, 995, 1000), suffix.asByteArray());

        var beyond = given().header("Range", "bytes=995-5000").when().get(path);
        assertEquals("bytes 995-999/1000", beyond.header("Content-Range"));

        var unsatisfiable = given().header("Range", "bytes=1000-").when().get(path);
        assertError(unsatisfiable, 416, "RANGE_INVALID");
        assertEquals("bytes */1000", unsatisfiable.header("Content-Range"));
    }

    @Test
    void aBlobNotLinkedIntoTheRepositoryIsUnknownThere() {
        String owner = TestProjects.create("owner") + "/app";
        Digest digest = BlobPushes.push(owner, bytes(100, 4));
        String stranger = TestProjects.create("stranger") + "/app";
        BlobPushes.push(stranger, bytes(100, 5));

        assertEquals(404, given().when().head("/v2/" + stranger + "/blobs/" + digest).statusCode());
        assertEquals(0, given().when().head("/v2/" + stranger + "/blobs/" + digest).asByteArray().length);
        assertError(given().when().get("/v2/" + stranger + "/blobs/" + digest), 404, "BLOB_UNKNOWN");
        assertError(given().when().get("/v2/" + owner + "-never/blobs/" + digest), 404, "BLOB_UNKNOWN");
    }

    @Test
    void deleteUnlinksTheBlobFromOneRepositoryOnly() {
        byte[] content = bytes(100, 6);
        String first = TestProjects.create("del-a") + "/app";
        String second = TestProjects.create("del-b") + "/app";
        Digest digest = BlobPushes.push(first, content);
        BlobPushes.push(second, content);

        given().when().delete("/v2/" + first + "/blobs/" + digest).then().statusCode(202);

        assertEquals(404, given().when().head("/v2/" + first + "/blobs/" + digest).statusCode());
        assertError(given().when().delete("/v2/" + first + "/blobs/" + digest), 404, "BLOB_UNKNOWN");
        assertArrayEquals(content, given().get("/v2/" + second + "/blobs/" + digest).asByteArray());
    }

    @Test
    void malformedAndUnsupportedDigestsAreDigestInvalid() {
        String name = TestProjects.create("digest") + "/app";
        BlobPushes.push(name, bytes(10, 7));

        assertError(given().when().get("/v2/" + name + "/blobs/sha256:abc"), 400, "DIGEST_INVALID");
        assertError(given().when().get("/v2/" + name + "/blobs/md5:" + "0".repeat(32)), 400, "DIGEST_INVALID");
        assertError(given().when().delete("/v2/" + name + "/blobs/sha256:" + "A".repeat(64)), 400, "DIGEST_INVALID");
        assertEquals(400, given().when().head("/v2/" + name + "/blobs/nodigest").statusCode());
        assertError(given().contentType("application/octet-stream").body(new byte[1]).queryParam("digest", "sha999:00")
                .when().post("/v2/" + name + "/blobs/uploads/"), 400, "DIGEST_INVALID");
    }
}
