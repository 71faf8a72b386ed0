package io.berth.registry.support;

import io.berth.registry.security.RequiredAccess;
import io.berth.security.Scope;
import io.berth.security.token.Jwks;
import io.berth.security.token.TokenSigner;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Until auth issues tokens (issue #4), registry-api's tests sign their own: a fresh P-256 key
 * per test run, published to the service as a JWKS file. Every REST Assured request gets a
 * token granting exactly what its method and path need, so the real verification runs in every
 * test. A request with the header {@value #ANONYMOUS} goes without one.
 */
public class TestTokens implements QuarkusTestResourceLifecycleManager {

    /** Send this header (any value) to make a request without a token. */
    public static final String ANONYMOUS = "X-Test-Anonymous";

    private static final KeyPair KEY = newKey();
    public static final TokenSigner SIGNER =
            new TokenSigner("test-key", (ECPrivateKey) KEY.getPrivate(), "berth-test", Clock.systemUTC());

    @Override
    public Map<String, String> start() {
        try {
            var jwks = Files.createTempFile("berth-test-jwks", ".json");
            Files.writeString(jwks, Jwks.toJson(Map.of("test-key", (ECPublicKey) KEY.getPublic())));
            jwks.toFile().deleteOnExit();
            RestAssured.filters(minting());
            return Map.of("berth.registry.auth.jwks-file", jwks.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        RestAssured.reset();
    }

    /** A token for the berth service granting these scopes, valid for five minutes. */
    public static String token(String... scopes) {
        List<Scope> access = new ArrayList<>();
        for (String s : scopes) {
            access.add(Scope.parse(s));
        }
        return SIGNER.sign("test-user", "berth", Duration.ofMinutes(5), access);
    }

    /**
     * The Authorization header value a request needs, for clients other than REST Assured
     * (java.net.http, raw sockets).
     */
    public static String authorizationFor(String method, String pathAndQuery) {
        URI uri = URI.create(pathAndQuery);
        var scopes = new LinkedHashSet<String>();
        for (var need : RequiredAccess.of(method, uri.getPath(), query(uri.getRawQuery(), "from"))) {
            if (need != RequiredAccess.ANY) {
                scopes.add(need.type() + ":" + need.name() + ":" + need.action());
            }
        }
        return "Bearer " + token(scopes.toArray(String[]::new));
    }

    private static Filter minting() {
        return (request, response, ctx) -> {
            if (request.getHeaders().hasHeaderWithName(ANONYMOUS)) {
                request.removeHeader(ANONYMOUS);
            } else if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                URI uri = URI.create(request.getURI());
                String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                request.header("Authorization", authorizationFor(request.getMethod(), path));
            }
            return ctx.next(request, response);
        };
    }

    private static String query(String raw, String name) {
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            if (pair.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(pair.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static KeyPair newKey() {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
