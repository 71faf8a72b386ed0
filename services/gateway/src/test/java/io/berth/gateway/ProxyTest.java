package io.berth.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.gateway.proxy.Proxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The reverse proxy against stand-in upstreams ({@link EchoUpstream}): routes, streaming both
 * ways, the headers that must pass, location rewriting, sticky uploads, balancing and failover.
 */
@QuarkusTest
@QuarkusTestResource(value = EchoUpstream.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    Proxy proxy;

    /** Whether GETs and HEADs go through the direct relay here (ProxyVertxClientTest runs these without it). */
    boolean directRelay() {
        return true;
    }

    private static String gateway() {
        return "http://127.0.0.1:" + RestAssured.port;
    }

    @Test
    @Order(1)
    void routesComeFromTheTableAndTheGatewayKeepsItsOwnPaths() {
        given().when().get("/service/token").then().statusCode(200).header("X-Instance", "auth");
        given().when().get("/api/v1/users/current").then().statusCode(200).header("X-Instance", "auth");
        given().when().get("/api/v1/projects/team/repositories").then().statusCode(200)
                .header("X-Instance", matchesPattern("a|b"));
        given().when().get("/v2/echo").then().statusCode(200).header("X-Instance", matchesPattern("a|b"));
        // Operators' endpoints are on the management port only, never on the public one.
        given().when().get("/q/health/live").then().statusCode(404).header("X-Instance", nullValue());
        given().when().get("/q/metrics").then().statusCode(404).header("X-Instance", nullValue());
        // A path no route takes is the gateway's own: the console's (console/ConsoleTest), a missing file 404.
        given().when().get("/elsewhere.txt").then().statusCode(404).header("X-Instance", nullValue());
    }

    @Test
    @Order(1)
    void theScanApiGoesToScannerBridgeAndWhatSurroundsItStaysWhereItWas() {
        String digest = "sha256:" + "ab".repeat(32);
        for (String path : List.of(
                "/api/v1/projects/team/repositories/app/artifacts/" + digest + "/scan",
                "/api/v1/projects/team/repositories/app/web/artifacts/v1/vulnerabilities",
                "/api/v1/projects/team/repositories/a/b/c/artifacts/" + digest + "/sbom",
                "/api/v1/projects/team/scan",
                "/api/v1/system/scan-all",
                "/api/v1/system/vulnerability-db",
                "/api/v1/system/vulnerability-db/imports/3",
                "/api/v1/vulnerabilities/CVE-2023-45853/artifacts")) {
            // The path reaches scanner-bridge as it was sent, slashes of the repository and all.
            given().urlEncodingEnabled(false).when().post(path).then().statusCode(200).header("X-Instance", "scanner")
                    .body("uri", equalTo(path));
        }
        for (String path : List.of(
                "/api/v1/projects/team/repositories",
                "/api/v1/projects/team/repositories/app/web/artifacts",
                "/api/v1/projects/team/repositories/app/artifacts/" + digest,
                "/api/v1/projects/team/repositories/app/artifacts/" + digest + "/tags/scan",
                "/api/v1/projects/team/repositories/app/scan/artifacts")) {
            given().when().get(path).then().statusCode(200).header("X-Instance", matchesPattern("a|b"));
        }
        given().when().get("/api/v1/projects/team/retention").then().statusCode(200).header("X-Instance", "gc");
        given().when().get("/api/v1/system/gc").then().statusCode(200).header("X-Instance", "gc");
        given().when().get("/api/v1/replication/endpoints").then().statusCode(200).header("X-Instance", "replicator");
        given().when().post("/api/v1/replication/endpoints/3/ping").then().statusCode(200)
                .header("X-Instance", "replicator");
        given().when().get("/api/v1/projects/team").then().statusCode(200).header("X-Instance", "auth");
        given().when().get("/api/v1/projects/team/members").then().statusCode(200).header("X-Instance", "auth");
        given().when().get("/api/v1/system/settings").then().statusCode(200).header("X-Instance", "auth");
        given().when().get("/api/v1/vulnerabilities").then().statusCode(404).header("X-Instance", nullValue());
    }

    @Test
    @Order(2)
    void requestsAreSpreadOverTheInstances() {
        EchoUpstream.ECHOED_BY.clear();
        for (int i = 0; i < 10; i++) {
            given().when().get("/v2/echo").then().statusCode(200);
        }
        assertEquals(Set.of("a", "b"), Set.copyOf(EchoUpstream.ECHOED_BY));
        long onA = EchoUpstream.ECHOED_BY.stream().filter("a"::equals).count();
        assertEquals(5, onA, EchoUpstream.ECHOED_BY.toString());
    }

    @Test
    @Order(3)
    void aBodyStreamsThroughWholeWithAndWithoutALength() throws Exception {
        long size = 64L << 20;
        for (boolean chunked : new boolean[] {false, true}) {
            Supplier<InputStream> body = () -> new PatternStream(size);
            HttpRequest.BodyPublisher publisher = chunked ? HttpRequest.BodyPublishers.ofInputStream(body)
                    : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), size);
            var answer = HTTP.send(HttpRequest.newBuilder(URI.create(gateway() + "/v2/echo/upload"))
                    .method("PATCH", publisher).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"length\":" + size), answer.body());
            assertTrue(answer.body().contains("\"sha256\":\"" + sha256(new PatternStream(size)) + "\""), answer.body());
        }
    }

    @Test
    @Order(4)
    void aLargeAnswerStreamsBackWithItsRegistryHeaders() throws Exception {
        long size = 200L << 20;
        var answer = HTTP.send(HttpRequest.newBuilder(URI.create(gateway() + "/v2/big?bytes=" + size)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, answer.statusCode());
        assertEquals("sha256:feed", answer.headers().firstValue("Docker-Content-Digest").orElse(""));
        assertEquals("artifactType", answer.headers().firstValue("OCI-Filters-Applied").orElse(""));
        assertEquals(String.valueOf(size), answer.headers().firstValue("Content-Length").orElse(""));
        assertEquals("bytes 0-" + (size - 1) + "/" + size, answer.headers().firstValue("Content-Range").orElse(""));
        long read = 0;
        try (InputStream in = answer.body()) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                read += n;
            }
        }
        assertEquals(size, read);
        given().when().head("/v2/big?bytes=1024").then().statusCode(200).header("Content-Length", "1024");
    }

    @Test
    @Order(5)
    void locationsNamingAnInstanceNameTheGatewayAndRedirectsToStoragePassUntouched() {
        String location = given().when().post("/v2/team/app/blobs/uploads/").then().statusCode(202)
                .header("Docker-Upload-UUID", startsWith("upload-"))
                .extract().header("Location");
        assertTrue(location.startsWith(gateway() + "/v2/team/app/blobs/uploads/upload-"), location);
        assertTrue(location.contains("_state=opaque") && location.contains("berth-instance="), location);

        given().redirects().follow(false).when().get("/v2/redirect").then().statusCode(307)
                .header("Location", equalTo("http://s3.example.com:9000/berth/blobs/x?X-Amz-Signature=abc"));
        // Behind an ingress, the external scheme and host come from Forwarded.
        String external = given().header("Forwarded", "for=10.0.0.1;proto=https;host=registry.example.com")
                .when().post("/v2/team/app/blobs/uploads/").then().statusCode(202).extract().header("Location");
        assertTrue(external.startsWith("https://registry.example.com/v2/team/app/blobs/uploads/"), external);
    }

    @Test
    @Order(6)
    void anUploadStaysOnTheInstanceThatHoldsItsSession() {
        for (int i = 0; i < 4; i++) {
            String location = given().when().post("/v2/team/app/blobs/uploads/").then().statusCode(202).extract().header("Location");
            String id = location.replaceAll(".*/uploads/([^?]+).*", "$1");
            String path = location.substring(gateway().length());
            for (int chunk = 0; chunk < 3; chunk++) {
                location = given().body(new byte[1024]).when().patch(path).then().statusCode(202).extract().header("Location");
                path = location.substring(gateway().length());
                assertTrue(path.contains("berth-instance="), path);
            }
            List<String> instances = EchoUpstream.UPLOADS.get(id);
            assertEquals(4, instances.size());
            assertEquals(1, Set.copyOf(instances).size(), "session " + id + " moved: " + instances);
        }
    }

    @Test
    @Order(7)
    void theUpstreamLearnsTheExternalOriginAndTheChallengeCarriesIt() {
        given().when().get("/v2/auth").then().statusCode(401)
                .header("WWW-Authenticate", containsString("realm=\"http://127.0.0.1:" + RestAssured.port + "/service/token\""));
        given().header("Forwarded", "for=192.0.2.60;proto=https;host=registry.example.com")
                .when().get("/v2/auth").then().statusCode(401)
                .header("WWW-Authenticate", containsString("realm=\"https://registry.example.com/service/token\""));
        given().header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "ingress.example.com")
                .when().get("/v2/auth").then().statusCode(401)
                .header("WWW-Authenticate", containsString("realm=\"https://ingress.example.com/service/token\""));
        // Hop-by-hop headers stop at the gateway; the others and a trace context go on.
        given().header("Proxy-Authorization", "Basic c2VjcmV0").header("Docker-Content-Digest", "sha256:abc")
                .when().get("/v2/echo").then().statusCode(200)
                .body("headers.proxy-authorization", nullValue())
                .body("headers.docker-content-digest", equalTo("sha256:abc"))
                .body("headers.traceparent", matchesPattern("00-[0-9a-f]{32}-[0-9a-f]{16}-01"))
                .body("headers.x-forwarded-for", equalTo("127.0.0.1"));
    }

    @Test
    @Order(8)
    void aManifestOverTheLimitIsRefusedBeforeTheUpstreamSeesIt() throws Exception {
        EchoUpstream.ECHOED_BY.clear();
        given().contentType("application/vnd.oci.image.manifest.v1+json").body(new byte[5 << 20])
                .when().put("/v2/echo/manifests/latest").then().statusCode(413)
                .body("errors[0].code", equalTo("MANIFEST_INVALID"));
        var chunked = HTTP.send(HttpRequest.newBuilder(URI.create(gateway() + "/v2/echo/manifests/latest"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(5 << 20))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertTrue(EchoUpstream.ECHOED_BY.isEmpty(), "the upstream saw " + EchoUpstream.ECHOED_BY);
        // A manifest within the limit passes, chunked or not.
        var small = HTTP.send(HttpRequest.newBuilder(URI.create(gateway() + "/v2/echo/manifests/latest"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(1000))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, small.statusCode());
        assertTrue(small.body().contains("\"length\":1000"), small.body());
    }

    @Test
    @Order(9)
    void getsAndHeadsTakeTheDirectRelayWhenItIsOnAndBodiesNever() {
        long before = proxy.relayedDirectly();
        given().when().get("/v2/echo").then().statusCode(200).header("X-Instance", matchesPattern("a|b"));
        given().when().head("/v2/big?bytes=1024").then().statusCode(200).header("Content-Length", "1024");
        given().body(new byte[10]).when().patch("/v2/echo/upload").then().statusCode(200);
        assertEquals(directRelay() ? before + 2 : before, proxy.relayedDirectly());
    }

    @Test
    @Order(10)
    void whenAnInstanceIsGoneTheOtherTakesItsTrafficAndItsUploads() {
        String location = null;
        String onA = null;
        // An upload the instance "a" holds.
        while (onA == null) {
            location = given().when().post("/v2/team/app/blobs/uploads/").then().statusCode(202).extract().header("Location");
            String id = location.replaceAll(".*/uploads/([^?]+).*", "$1");
            if (EchoUpstream.UPLOADS.get(id).get(0).equals("a")) {
                onA = id;
            }
        }
        EchoUpstream.kill("a");
        for (int i = 0; i < 6; i++) {
            given().when().get("/v2/echo").then().statusCode(200).header("X-Instance", "b");
        }
        given().body(new byte[10]).when().patch(location.substring(gateway().length())).then().statusCode(202)
                .header("X-Instance", "b");
        assertEquals(List.of("a", "b"), EchoUpstream.UPLOADS.get(onA));
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            sha.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** {@code size} bytes of a fixed pattern, made as they are read. */
    static final class PatternStream extends InputStream {
        private final long size;
        private long position;

        PatternStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return position < size ? (int) ((position++ * 131) & 0xff) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((position++ * 131) & 0xff);
            }
            return n;
        }
    }
}
