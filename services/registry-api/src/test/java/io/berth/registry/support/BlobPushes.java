package io.berth.registry.support;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Short ways to push blobs in tests. */
public final class BlobPushes {

    private BlobPushes() {}

    /** {@code size} random bytes from {@code seed}. */
    public static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Pushes {@code content} in one POST into {@code name}; returns its digest. */
    public static Digest push(String name, byte[] content) {
        Digest digest = Digest.sha256(content);
        given().contentType("application/octet-stream").body(content)
                .queryParam("digest", digest.toString())
                .when().post("/v2/" + name + "/blobs/uploads/")
                .then().statusCode(201);
        return digest;
    }

    /** Opens an upload session in {@code name}; returns its Location. */
    public static String start(String name) {
        var response = given().when().post("/v2/" + name + "/blobs/uploads/");
        assertEquals(202, response.statusCode(), response::asString);
        return response.header("Location");
    }

    /**
     * The head of an authorised PATCH to {@code location} announcing {@code contentLength} bytes,
     * for tests that write (or withhold) the body by hand on a raw socket.
     */
    public static byte[] rawPatchHead(String location, long contentLength) {
        return ("PATCH " + location + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: " + TestTokens.authorizationFor("PATCH", location) + "\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: " + contentLength + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The head of an authorised PATCH to {@code location} whose body follows in HTTP chunks
     * ({@code Transfer-Encoding: chunked}, no announced length), written by hand with {@link #rawChunk}.
     */
    public static byte[] rawChunkedPatchHead(String location) {
        return ("PATCH " + location + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: " + TestTokens.authorizationFor("PATCH", location) + "\r\n"
                + "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** One HTTP chunk carrying {@code data[offset, offset+length)}. */
    public static byte[] rawChunk(byte[] data, int offset, int length) {
        byte[] head = (Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[head.length + length + 2];
        System.arraycopy(head, 0, chunk, 0, head.length);
        System.arraycopy(data, offset, chunk, head.length, length);
        chunk[chunk.length - 2] = '\r';
        chunk[chunk.length - 1] = '\n';
        return chunk;
    }
}
