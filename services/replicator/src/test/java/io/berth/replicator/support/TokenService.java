package io.berth.replicator.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Docker token service for a {@link Distribution} started with token auth: it checks Basic
 * credentials ({@link Distribution#USER} may pull and push; {@link #READER} with
 * {@link #READER_PASSWORD} may only pull; anonymous callers get a token without access) and signs
 * RS256 JWTs whose {@code x5c} header carries the certificate the registry trusts. Every request's
 * scopes are recorded, so tests can count how often the client asked.
 */
public final class TokenService implements AutoCloseable {

    public static final String SERVICE = "berth-test-registry";
    public static final String ISSUER = "berth-test-issuer";
    public static final String READER = "reader";
    public static final String READER_PASSWORD = "reader-pw-1";

    /** The scopes of each token request, in order ("" for none). */
    public final List<String> requests = new CopyOnWriteArrayList<>();

    private final HttpServer server;
    private final PrivateKey key;
    private final String x5c;
    private final ObjectMapper json = new ObjectMapper();

    /** Serves tokens signed by the key and certificate in {@code dir} (key.pem, cert.pem). */
    public TokenService(Path dir) throws Exception {
        String pem = Files.readString(dir.resolve("key.pem"));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        this.key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        X509Certificate cert;
        try (var in = Files.newInputStream(dir.resolve("cert.pem"))) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        this.x5c = Base64.getEncoder().encodeToString(cert.getEncoded());
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.start();
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    private void token(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String user = null;
            if (auth != null) {
                String pair = new String(Base64.getDecoder().decode(auth.substring("Basic ".length())), StandardCharsets.UTF_8);
                if (pair.equals(Distribution.USER + ":" + Distribution.PASSWORD)) {
                    user = Distribution.USER;
                } else if (pair.equals(READER + ":" + READER_PASSWORD)) {
                    user = READER;
                } else {
                    send(ex, 401, "{\"details\":\"wrong credentials\"}");
                    return;
                }
            }
            List<String> scopes = new ArrayList<>();
            String query = ex.getRequestURI().getRawQuery();
            for (String p : query == null ? new String[0] : query.split("&")) {
                if (p.startsWith("scope=")) {
                    scopes.add(URLDecoder.decode(p.substring(6), StandardCharsets.UTF_8));
                }
            }
            requests.add(String.join(" ", scopes));
            List<Map<String, Object>> access = new ArrayList<>();
            for (String s : scopes) {
                String[] parts = s.split(":");
                List<String> actions = new ArrayList<>();
                for (String a : parts[2].split(",")) {
                    if (Distribution.USER.equals(user) || (READER.equals(user) && a.equals("pull"))) {
                        actions.add(a);
                    }
                }
                access.add(Map.of("type", parts[0], "name", parts[1], "actions", actions));
            }
            long now = System.currentTimeMillis() / 1000;
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("iss", ISSUER);
            claims.put("sub", user == null ? "" : user);
            claims.put("aud", SERVICE);
            claims.put("exp", now + 300);
            claims.put("nbf", now - 10);
            claims.put("iat", now);
            claims.put("jti", UUID.randomUUID().toString());
            claims.put("access", access);
            String input = b64(json.writeValueAsBytes(Map.of("typ", "JWT", "alg", "RS256", "x5c", List.of(x5c))))
                    + "." + b64(json.writeValueAsBytes(claims));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(input.getBytes(StandardCharsets.US_ASCII));
            String token = input + "." + b64(rs256.sign());
            send(ex, 200, json.writeValueAsString(Map.of("token", token, "expires_in", 300)));
        } catch (Exception e) {
            send(ex, 500, "{}");
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
