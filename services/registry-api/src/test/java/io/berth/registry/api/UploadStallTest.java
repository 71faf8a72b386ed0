package io.berth.registry.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.oci.Digest;
import io.berth.registry.support.BlobPushes;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * berth.registry.uploads.body-idle-timeout: a PATCH whose client stops sending is answered
 * BLOB_UPLOAD_INVALID once the timeout passes, the connection is closed, and the session stays
 * where it was for a retry.
 */
@QuarkusTest
@TestProfile(UploadStallTest.ShortIdleTimeout.class)
class UploadStallTest {

    public static class ShortIdleTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.registry.uploads.body-idle-timeout", "PT1S");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void aStalledBodyIsAnsweredAndItsConnectionClosed() throws Exception {
        String name = TestProjects.create("stall") + "/app";
        String location = BlobPushes.start(name);
        String answer;
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(BlobPushes.rawPatchHead(location, 1000));
            socket.getOutputStream().write("12345".getBytes(StandardCharsets.US_ASCII));
            // readAllBytes returns only once the server has closed the connection.
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(answer.contains("\"BLOB_UPLOAD_INVALID\""), answer);

        given().when().get(location).then().statusCode(204).header("Range", "0-0");
        byte[] content = BlobPushes.bytes(1000, 4);
        given().contentType("application/octet-stream").body(content).when().patch(location).then().statusCode(202);
        given().queryParam("digest", Digest.sha256(content).toString()).when().put(location).then().statusCode(201);
    }

    @Test
    void aStalledWholeBodyIsAnsweredAndItsConnectionClosed() throws Exception {
        // 20 MiB announced, more than a part: this body would go to the store in one PUT.
        int announced = 20 * 1024 * 1024;
        String name = TestProjects.create("stall-whole") + "/app";
        String location = BlobPushes.start(name);
        String answer;
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(BlobPushes.rawPatchHead(location, announced));
            socket.getOutputStream().write(BlobPushes.bytes(3 * 1024 * 1024, 5));
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(answer.contains("\"BLOB_UPLOAD_INVALID\""), answer);

        given().when().get(location).then().statusCode(204).header("Range", "0-0");
        byte[] content = BlobPushes.bytes(announced, 6);
        given().contentType("application/octet-stream").body(content).when().patch(location).then().statusCode(202);
        given().queryParam("digest", Digest.sha256(content).toString()).when().put(location).then().statusCode(201);
    }
}
