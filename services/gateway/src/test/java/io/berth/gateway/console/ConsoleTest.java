package io.berth.gateway.console;

import static io.berth.testing.WireErrorAssertions.assertApiError;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.gateway.EchoUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The console as browsers get it, against the fixture build in src/test/resources/console-fixture
 * (with .gz and .br beside its text files), and the services behind the gateway as stand-ins
 * ({@link EchoUpstream}) to show that API paths still reach them. Asked with the JDK's client,
 * which neither adds {@code Accept-Encoding} nor decodes, and with raw requests where a client
 * would tidy the path.
 */
@QuarkusTest
@QuarkusTestResource(value = EchoUpstream.class, restrictToAnnotatedClass = true)
@TestProfile(ConsoleTest.Site.class)
class ConsoleTest {

    static final String ISSUER = "https://sso.example.test:8443/realms/berth";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self' https://sso.example.test:8443; "
            + "form-action 'self' https://sso.example.test:8443; frame-ancestors 'none'; base-uri 'none'; manifest-src 'self'";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A site whose Keycloak is elsewhere than the gateway, under another port. */
    public static class Site implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.gateway.console.oidc-issuer", ISSUER,
                    "berth.gateway.console.client-id", "berth-console-test");
        }
    }

    @Test
    void theRootAndIndexAreTheAppWithItsSecurityHeadersAndRevalidation() throws Exception {
        for (String path : List.of("/", "/index.html")) {
            HttpResponse<byte[]> r = get(path, Map.of());
            assertEquals(200, r.statusCode(), path);
            assertArrayEquals(fixture("index.html"), r.body(), path);
            assertEquals("text/html; charset=utf-8", header(r, "Content-Type"));
            assertEquals("no-cache", header(r, "Cache-Control"));
            assertEquals("Accept-Encoding", header(r, "Vary"));
            assertNull(header(r, "Content-Encoding"));
            assertTrue(header(r, "ETag").matches("\"[0-9a-f]{32}\""), header(r, "ETag"));
            assertEquals(String.valueOf(fixture("index.html").length), header(r, "Content-Length"));
            assertSecurityHeaders(r);
            assertNull(header(r, "Strict-Transport-Security"), "HSTS is for HTTPS answers only");
        }
    }

    @Test
    void pagesOfTheAppAreIndexAndMissingFilesAre404() throws Exception {
        for (String page : List.of("/projects", "/projects/", "/projects/library/repositories/a/b", "/callback",
                "/projects/library/repositories/team/web.app", "/admin/gc",
                "/projects/p/repositories/a/b/artifacts/sha256:" + "ab".repeat(32), "/console/elsewhere")) {
            HttpResponse<byte[]> r = get(page, Map.of());
            assertEquals(200, r.statusCode(), page);
            assertArrayEquals(fixture("index.html"), r.body(), page);
            assertEquals("no-cache", header(r, "Cache-Control"), page);
            assertSecurityHeaders(r);
        }
        for (String missing : List.of("/assets/nope.js", "/assets/app-3f2a1b.js.gz", "/favicon.ico", "/robots.txt.br",
                "/projects/p/index.html", "/.hidden", "/assets/")) {
            HttpResponse<String> r = HTTP.send(request(missing).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode(), missing);
            assertFalse(r.body().contains("berth console fixture"), missing);
            assertApiError(given().urlEncodingEnabled(false).when().get(missing), 404, "NOT_FOUND");
            assertSecurityHeaders(r);
        }
    }

    @Test
    void assetsAreImmutableAndComeInTheEncodingTheClientTakes() throws Exception {
        String js = "/assets/app-3f2a1b.js";
        HttpResponse<byte[]> plain = get(js, Map.of());
        assertEquals(200, plain.statusCode());
        assertArrayEquals(fixture("assets/app-3f2a1b.js"), plain.body());
        assertEquals("text/javascript; charset=utf-8", header(plain, "Content-Type"));
        assertEquals("public, max-age=31536000, immutable", header(plain, "Cache-Control"));
        assertEquals("Accept-Encoding", header(plain, "Vary"));
        assertNull(header(plain, "Content-Encoding"));
        assertSecurityHeaders(plain);

        HttpResponse<byte[]> br = get(js, Map.of("Accept-Encoding", "gzip, deflate, br"));
        assertEquals("br", header(br, "Content-Encoding"));
        assertArrayEquals(fixture("assets/app-3f2a1b.js.br"), br.body());
        assertEquals("Accept-Encoding", header(br, "Vary"));

        HttpResponse<byte[]> gzip = get(js, Map.of("Accept-Encoding", "gzip, br;q=0"));
        assertEquals("gzip", header(gzip, "Content-Encoding"));
        assertArrayEquals(fixture("assets/app-3f2a1b.js"), new GZIPInputStream(new java.io.ByteArrayInputStream(gzip.body()))
                .readAllBytes());
        assertEquals(String.valueOf(fixture("assets/app-3f2a1b.js.gz").length), header(gzip, "Content-Length"));

        HttpResponse<byte[]> identity = get(js, Map.of("Accept-Encoding", "deflate"));
        assertNull(header(identity, "Content-Encoding"));
        assertArrayEquals(fixture("assets/app-3f2a1b.js"), identity.body());

        // Three representations, three entity tags.
        assertEquals(3, java.util.Set.of(header(plain, "ETag"), header(br, "ETag"), header(gzip, "ETag")).size());

        HttpResponse<byte[]> css = get("/assets/app-3f2a1b.css", Map.of("Accept-Encoding", "*"));
        assertEquals("text/css; charset=utf-8", header(css, "Content-Type"));
        assertEquals("br", header(css, "Content-Encoding"));
        HttpResponse<byte[]> svg = get("/favicon.svg", Map.of("Accept-Encoding", "gzip"));
        assertEquals("image/svg+xml; charset=utf-8", header(svg, "Content-Type"));
        assertEquals("gzip", header(svg, "Content-Encoding"));
        assertEquals("no-cache", header(svg, "Cache-Control"));
        // Text without a variant varies all the same; a font is not text and does not.
        HttpResponse<byte[]> txt = get("/robots.txt", Map.of("Accept-Encoding", "br, gzip"));
        assertEquals("text/plain; charset=utf-8", header(txt, "Content-Type"));
        assertNull(header(txt, "Content-Encoding"));
        assertEquals("Accept-Encoding", header(txt, "Vary"));
        HttpResponse<byte[]> font = get("/assets/font-9c8d7e.woff2", Map.of("Accept-Encoding", "br, gzip"));
        assertEquals("font/woff2", header(font, "Content-Type"));
        assertNull(header(font, "Vary"));
        assertNull(header(font, "Content-Encoding"));
        assertArrayEquals(fixture("assets/font-9c8d7e.woff2"), font.body());
    }

    @Test
    void anEntityTagTheClientHasIs304WithoutABody() throws Exception {
        for (String path : List.of("/", "/projects/library", ConsolePaths.CONFIG)) {
            HttpResponse<byte[]> first = get(path, Map.of("Accept-Encoding", "br"));
            String etag = header(first, "ETag");
            HttpResponse<byte[]> again = get(path, Map.of("Accept-Encoding", "br", "If-None-Match", "\"other\", " + etag));
            assertEquals(304, again.statusCode(), path);
            assertEquals(0, again.body().length, path);
            assertEquals(etag, header(again, "ETag"));
            assertEquals("no-cache", header(again, "Cache-Control"));
            assertSecurityHeaders(again);
            assertEquals(304, get(path, Map.of("Accept-Encoding", "br", "If-None-Match", "W/" + etag)).statusCode());
            assertEquals(304, get(path, Map.of("If-None-Match", "*")).statusCode());
            if (!path.equals(ConsolePaths.CONFIG)) {
                // The tag of another encoding is another representation: the whole answer again.
                HttpResponse<byte[]> other = get(path, Map.of("If-None-Match", etag));
                assertEquals(200, other.statusCode(), path);
                assertNotEquals(etag, header(other, "ETag"));
            }
            assertEquals(200, get(path, Map.of("If-None-Match", "\"0123\"")).statusCode());
        }
    }

    @Test
    void headAnswersTheHeadersOfGetWithoutTheBody() throws Exception {
        for (String path : List.of("/", "/assets/app-3f2a1b.js", "/projects/x")) {
            HttpResponse<byte[]> get = get(path, Map.of("Accept-Encoding", "gzip"));
            HttpResponse<byte[]> head = HTTP.send(request(path).header("Accept-Encoding", "gzip")
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, head.statusCode(), path);
            assertEquals(0, head.body().length, path);
            for (String name : List.of("Content-Type", "Content-Length", "Content-Encoding", "ETag", "Cache-Control",
                    "Vary", "Content-Security-Policy")) {
                assertEquals(header(get, name), header(head, name), path + " " + name);
            }
        }
        // Raw, so nothing but the headers can come back: the next bytes would be a body.
        String answer = raw("HEAD /assets/app-3f2a1b.css HTTP/1.1");
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.endsWith("\r\n\r\n"), answer);
    }

    @Test
    void theSettingsNameTheIssuerAndTheClient() throws Exception {
        HttpResponse<byte[]> r = get(ConsolePaths.CONFIG, Map.of());
        assertEquals(200, r.statusCode());
        assertEquals("application/json", header(r, "Content-Type"));
        assertEquals("no-cache", header(r, "Cache-Control"));
        JsonNode settings = JSON.readTree(r.body());
        assertEquals(ISSUER, settings.path("issuer").asText());
        assertEquals("berth-console-test", settings.path("clientId").asText());
        assertEquals(2, settings.size(), settings.toString());
        assertSecurityHeaders(r);
    }

    @Test
    void otherMethodsAre405WithAllow() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            for (String path : List.of("/", "/projects", "/assets/app-3f2a1b.js", ConsolePaths.CONFIG)) {
                HttpResponse<String> r = HTTP.send(request(path).method(method, HttpRequest.BodyPublishers.ofString("x"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(405, r.statusCode(), method + " " + path);
                assertEquals("GET, HEAD", header(r, "Allow"));
                assertSecurityHeaders(r);
            }
        }
        assertApiError(given().when().post("/projects"), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void apiPathsStillReachTheirServicesOrTheGatewaysOwnAnswers() throws Exception {
        // Routed: the stand-in of the service answers, never the console.
        for (String path : List.of("/api/v1/projects", "/api/v1/users/current", "/v2/echo", "/service/token")) {
            HttpResponse<String> r = HTTP.send(request(path).header("Accept", "text/html").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), path);
            assertTrue(r.headers().firstValue("X-Instance").isPresent(), path);
            assertFalse(r.body().contains("berth console fixture"), path);
            assertNull(header(r, "Content-Security-Policy"), path);
        }
        // Reserved but no route's: the gateway's API answers (JSON), not the app's page.
        given().accept("text/html").when().get("/api/v1/openapi").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("application/json"));
        assertApiError(given().accept("text/html").when().get("/api/v1/no-such-thing"), 404, "NOT_FOUND");
        for (String path : List.of("/v2", "/api", "/q/health", "/q/metrics", "/.well-known/openid-configuration",
                "/scanner/ui", "/service/other")) {
            HttpResponse<String> r = HTTP.send(request(path).header("Accept", "text/html").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertFalse(r.body().contains("berth console fixture"), path);
            assertNull(header(r, "Content-Security-Policy"), path);
        }
    }

    @Test
    void pathsThatTryToLeaveTheConsoleAre404() throws Exception {
        for (String path : List.of("/../application.properties", "/assets/../../application.properties",
                "/assets/..%2F..%2Fapplication.properties", "/%2e%2e/application.properties", "/assets/%2e%2e/index.html",
                "//index.html", "/assets//app-3f2a1b.js",
                "/projects/../admin", "/projects/./x", "/projects%2Fx", "/a%5Cb", "/.hidden", "/assets/app-3f2a1b.js%00")) {
            String answer = raw("GET " + path + " HTTP/1.1");
            assertTrue(answer.startsWith("HTTP/1.1 404"), path + ": " + answer);
            assertTrue(answer.contains("\"code\":\"NOT_FOUND\""), path + ": " + answer);
            assertFalse(answer.contains("berth console fixture"), path);
        }
        // A raw backslash is no valid request target: the HTTP layer refuses it before any route.
        for (String path : List.of("/assets\\app-3f2a1b.js", "/assets/..\\index.html")) {
            String answer = raw("GET " + path + " HTTP/1.1");
            assertTrue(answer.startsWith("HTTP/1.1 400") || answer.startsWith("HTTP/1.1 404"), path + ": " + answer);
            assertFalse(answer.contains("berth console fixture"), path);
        }
        // Names on the classpath outside the console's folder are no files of it: at most the app's page.
        for (String path : List.of("/io/berth/gateway/console/Console.class", "/META-INF/MANIFEST.MF",
                "/application.properties")) {
            HttpResponse<byte[]> r = get(path, Map.of());
            assertTrue(r.statusCode() == 404 || java.util.Arrays.equals(fixture("index.html"), r.body()), path);
        }
    }

    @Test
    void eachAnswerIsOneAccessLogLineWithTheConsoleAsUpstream() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger access = Logger.getLogger("berth.access");
        access.addHandler(capture);
        try {
            get("/projects/logged", Map.of());
            get("/assets/logged.js", Map.of());
            long deadline = System.currentTimeMillis() + 5000;
            while (lines.stream().filter(l -> l.contains("/logged")).count() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            access.removeHandler(capture);
        }
        JsonNode page = JSON.readTree(lines.stream().filter(l -> l.contains("/projects/logged")).findFirst().orElseThrow());
        assertEquals("console", page.path("upstream").asText());
        assertEquals("GET", page.path("method").asText());
        assertEquals(200, page.path("status").asInt());
        assertEquals(fixture("index.html").length, page.path("bytes_out").asLong(), page.toString());
        assertTrue(page.path("trace_id").asText().matches("[0-9a-f]{32}"), page.toString());
        JsonNode missing = JSON.readTree(lines.stream().filter(l -> l.contains("/assets/logged.js")).findFirst().orElseThrow());
        assertEquals(404, missing.path("status").asInt());
        assertEquals("console", missing.path("upstream").asText());
    }

    static void assertSecurityHeaders(HttpResponse<?> r) {
        assertEquals(CSP, header(r, "Content-Security-Policy"));
        assertEquals("nosniff", header(r, "X-Content-Type-Options"));
        assertEquals("no-referrer", header(r, "Referrer-Policy"));
        assertEquals("DENY", header(r, "X-Frame-Options"));
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + path));
    }

    static HttpResponse<byte[]> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = request(path);
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = ConsoleTest.class.getClassLoader().getResourceAsStream("console-fixture/" + name)) {
            return in.readAllBytes();
        }
    }

    /** One request line sent as it is (no client tidies its path); the whole answer, the connection closed after it. */
    static String raw(String requestLine) throws IOException {
        try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write((requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            s.getInputStream().transferTo(answer);
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
