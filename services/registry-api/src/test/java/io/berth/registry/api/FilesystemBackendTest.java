package io.berth.registry.api;

import static io.berth.registry.support.BlobPushes.bytes;
import static io.berth.registry.support.RegistryErrors.assertError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.berth.oci.Digest;
import io.berth.registry.support.BlobPushes;
import io.berth.registry.support.TestDatabase;
import io.berth.registry.support.TestProjects;
import io.berth.storage.BlobStore;
import io.berth.storage.FilesystemBlobStore;
import io.berth.storage.ObjectId;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * registry-api on {@code berth.storage.kind=filesystem}: pushes (monolithic bodies bigger than a
 * part, which on S3 go to a presigned PUT, and chunked ones) and pulls (whole, ranges) work
 * without a presigned URL anywhere, and the blobs are files under the configured root.
 */
@QuarkusTest
@TestProfile(FilesystemBackendTest.Filesystem.class)
class FilesystemBackendTest {

    private static final int MIB = 1024 * 1024;

    // Every blob is fresh bytes (seeded by the clock): the test database outlives this run's
    // root, and a digest an earlier run stored would be linked to an object in that run's root.

    public static class Filesystem implements QuarkusTestProfile {
        static final Path ROOT;

        static {
            try {
                ROOT = Files.createTempDirectory("berth-fs-backend-test");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // Redirects on: a store without URLs must ignore them and stream.
            return Map.of("berth.storage.kind", "filesystem",
                    "berth.storage.filesystem.root", ROOT.toString(),
                    "berth.registry.blobs.redirect", "true");
        }
    }

    @Inject
    BlobStore store;

    @Test
    void theConfiguredStoreIsTheFilesystem() {
        FilesystemBlobStore fs = assertInstanceOf(FilesystemBlobStore.class, store);
        assertEquals(Filesystem.ROOT.toAbsolutePath(), fs.root());
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aMonolithicPushBiggerThanAPartIsStoredAndPulledWholeAndInRanges() {
        String name = TestProjects.create("fsmono") + "/app";
        byte[] content = bytes(20 * MIB + 5, System.nanoTime());
        Digest digest = BlobPushes.push(name, content);

        byte[] pulled = given().when().get("/v2/" + name + "/blobs/" + digest)
                .then().statusCode(200).header("Docker-Content-Digest", digest.toString())
                .extract().body().asByteArray();
        assertArrayEquals(content, pulled);

        byte[] range = given().header("Range", "bytes=" + (8 * MIB - 10) + "-" + (8 * MIB + 9))
                .when().get("/v2/" + name + "/blobs/" + digest)
                .then().statusCode(206).header("Content-Length", "20")
                .extract().body().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(content, 8 * MIB - 10, 8 * MIB + 10), range);

        ObjectId object = objectOf(digest);
        Path file = Filesystem.ROOT.resolve("blobs").resolve(object.toString().substring(0, 2)).resolve(object.toString());
        assertEquals(content.length, fileSize(file));
    }

    @Test
    void aChunkedPushIsStoredAndPulled() {
        String name = TestProjects.create("fschunk") + "/app";
        byte[] content = bytes(9 * MIB + 3, System.nanoTime());
        Digest digest = Digest.sha256(content);
        String location = BlobPushes.start(name);
        int half = 5 * MIB;
        given().contentType("application/octet-stream").body(Arrays.copyOfRange(content, 0, half))
                .header("Content-Range", "0-" + (half - 1))
                .when().patch(location).then().statusCode(202).header("Range", "0-" + (half - 1));
        given().contentType("application/octet-stream").body(Arrays.copyOfRange(content, half, content.length))
                .queryParam("digest", digest.toString())
                .when().put(location).then().statusCode(201);

        byte[] pulled = given().when().get("/v2/" + name + "/blobs/" + digest)
                .then().statusCode(200).extract().body().asByteArray();
        assertArrayEquals(content, pulled);
    }

    @Test
    void chunksSmallerThanAPartAreEachWrittenOnceAsParts() throws IOException {
        String name = TestProjects.create("fssmall") + "/app";
        int chunk = 300 * 1024;
        byte[] content = bytes(3 * chunk + 1000, System.nanoTime());
        Digest digest = Digest.sha256(content);
        String location = BlobPushes.start(name);
        String uuid = location.substring(location.lastIndexOf('/') + 1).replaceFirst("\\?.*", "");
        for (int i = 0; i < 3; i++) {
            given().contentType("application/octet-stream").body(Arrays.copyOfRange(content, i * chunk, (i + 1) * chunk))
                    .header("Content-Range", (i * chunk) + "-" + ((i + 1) * chunk - 1))
                    .when().patch(location).then().statusCode(202).header("Range", "0-" + ((i + 1) * chunk - 1));
        }
        // The first chunk was the blob's own object; then it became part 1 and each chunk a part
        // after it: nothing waits in a tail to be read back and written again.
        assertEquals(0L, TestDatabase.queryLong("SELECT tail_bytes FROM uploads WHERE id = ?::uuid", uuid));
        assertEquals(3L, TestDatabase.queryLong("SELECT jsonb_array_length(parts) FROM uploads WHERE id = ?::uuid", uuid));
        given().contentType("application/octet-stream").body(Arrays.copyOfRange(content, 3 * chunk, content.length))
                .queryParam("digest", digest.toString())
                .when().put(location).then().statusCode(201);

        byte[] pulled = given().when().get("/v2/" + name + "/blobs/" + digest)
                .then().statusCode(200).extract().body().asByteArray();
        assertArrayEquals(content, pulled);
        assertEquals(content.length, fileSize(fileOf(objectOf(digest))));
    }

    private static Path fileOf(ObjectId object) {
        return Filesystem.ROOT.resolve("blobs").resolve(object.toString().substring(0, 2)).resolve(object.toString());
    }

    @Test
    void aBlobWhoseFileIsLostIsBlobUnknown() throws IOException {
        String name = TestProjects.create("fslost") + "/app";
        byte[] content = bytes(1000, System.nanoTime());
        Digest digest = BlobPushes.push(name, content);
        store.delete(objectOf(digest));

        var response = given().when().get("/v2/" + name + "/blobs/" + digest);
        assertEquals(404, response.statusCode(), response::asString);
        assertError(response, 404, "BLOB_UNKNOWN");
        given().when().head("/v2/" + name + "/blobs/" + digest).then().statusCode(200)
                .header("Content-Length", equalTo("1000"));
    }

    private static ObjectId objectOf(Digest digest) {
        return ObjectId.parse((String) TestDatabase.queryOne("SELECT object_id::text FROM blobs WHERE digest = ?", digest.toString()));
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
