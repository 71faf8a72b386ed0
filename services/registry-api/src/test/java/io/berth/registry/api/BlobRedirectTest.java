package io.berth.registry.api;

import static io.berth.registry.support.BlobPushes.bytes;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.oci.Digest;
import io.berth.registry.support.BlobPushes;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code berth.registry.blobs.redirect=true}, a blob GET is a 307 to a presigned URL that works. */
@QuarkusTest
@TestProfile(BlobRedirectTest.Redirect.class)
class BlobRedirectTest {

    public static class Redirect implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.registry.blobs.redirect", "true");
        }
    }

    @Test
    void getRedirectsToThePresignedObject() throws Exception {
        String name = TestProjects.create("redirect") + "/app";
        byte[] content = bytes(4096, 1);
        Digest digest = BlobPushes.push(name, content);

        var response = given().redirects().follow(false).when().get("/v2/" + name + "/blobs/" + digest);

        assertEquals(307, response.statusCode());
        String location = response.header("Location");
        assertTrue(location.startsWith("http://127.0.0.1:9000/"), location);
        var fetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(location)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, fetched.statusCode());
        assertArrayEquals(content, fetched.body());
        // HEAD stays local: it needs no bytes.
        given().when().head("/v2/" + name + "/blobs/" + digest).then().statusCode(200);
    }
}
