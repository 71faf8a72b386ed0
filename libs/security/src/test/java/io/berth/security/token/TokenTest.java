package io.berth.security.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.security.Scope;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenTest {

    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
    private static final KeyPair KEY = newKey();
    private static final KeyPair OTHER = newKey();

    private static KeyPair newKey() {
        try {
            var gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            return gen.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    private static String sign(KeyPair key, String kid, String aud, List<Scope> access) {
        return new TokenSigner(kid, (ECPrivateKey) key.getPrivate(), "berth-auth", at(T0))
                .sign("developer", aud, Duration.ofMinutes(5), access);
    }

    private static TokenVerifier verifierAt(Instant now) {
        Map<String, ECPublicKey> keys = Map.of("k1", (ECPublicKey) KEY.getPublic());
        return new TokenVerifier(kid -> Optional.ofNullable(keys.get(kid)), "berth", Duration.ofSeconds(30), at(now));
    }

    private static TokenException.Reason refusal(String token, Instant now) {
        return assertThrows(TokenException.class, () -> verifierAt(now).verify(token)).reason();
    }

    private static final List<Scope> PULL_PUSH = List.of(Scope.parse("repository:team/app:pull,push"));

    @Test
    void aSignedTokenVerifiesWithItsClaimsAndAccess() {
        RegistryToken t = verifierAt(T0.plusSeconds(60)).verify(sign(KEY, "k1", "berth", PULL_PUSH));
        assertEquals("developer", t.subject());
        assertEquals("berth-auth", t.issuer());
        assertEquals("berth", t.audience());
        assertEquals(T0.plus(Duration.ofMinutes(5)), t.expiresAt());
        assertEquals(T0, t.notBefore());
        assertTrue(t.allows("repository", "team/app", "pull"));
        assertTrue(t.allows("repository", "team/app", "push"));
        assertFalse(t.allows("repository", "team/app", "delete"));
        assertFalse(t.allows("repository", "team/other", "pull"));
    }

    @Test
    void wildcardGrantCoversEveryAction() {
        var t = verifierAt(T0).verify(sign(KEY, "k1", "berth", List.of(Scope.parse("repository:a/b:*"))));
        assertTrue(t.allows("repository", "a/b", "delete"));
    }

    @Test
    void expiryAndNotBeforeHonourTheClockSkew() {
        String token = sign(KEY, "k1", "berth", PULL_PUSH);
        verifierAt(T0.plus(Duration.ofMinutes(5)).plusSeconds(20)).verify(token);
        assertEquals(TokenException.Reason.EXPIRED, refusal(token, T0.plus(Duration.ofMinutes(5)).plusSeconds(31)));
        verifierAt(T0.minusSeconds(20)).verify(token);
        assertEquals(TokenException.Reason.NOT_YET_VALID, refusal(token, T0.minusSeconds(31)));
    }

    @Test
    void aTokenForAnotherServiceIsRefused() {
        assertEquals(TokenException.Reason.WRONG_AUDIENCE, refusal(sign(KEY, "k1", "other", PULL_PUSH), T0));
    }

    @Test
    void anotherKeyOrUnknownKidOrTamperingIsRefused() {
        assertEquals(TokenException.Reason.BAD_SIGNATURE, refusal(sign(OTHER, "k1", "berth", PULL_PUSH), T0));
        assertEquals(TokenException.Reason.UNKNOWN_KEY, refusal(sign(KEY, "k9", "berth", PULL_PUSH), T0));

        String[] parts = sign(KEY, "k1", "berth", PULL_PUSH).split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"pull\",\"push\"", "\"pull\",\"push\",\"delete\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertEquals(TokenException.Reason.BAD_SIGNATURE, refusal(forged, T0));
    }

    @Test
    void algNoneAndHmacAreRefusedBeforeAnyKeyIsUsed() {
        var enc = Base64.getUrlEncoder().withoutPadding();
        String claims = enc.encodeToString("{\"aud\":\"berth\",\"exp\":9999999999}".getBytes(StandardCharsets.UTF_8));
        String none = enc.encodeToString("{\"alg\":\"none\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8));
        String hmac = enc.encodeToString("{\"alg\":\"HS256\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(TokenException.Reason.UNSUPPORTED_ALGORITHM, refusal(none + "." + claims + ".", T0));
        assertEquals(TokenException.Reason.UNSUPPORTED_ALGORITHM, refusal(hmac + "." + claims + ".c2ln", T0));
    }

    @Test
    void garbageIsMalformed() {
        assertEquals(TokenException.Reason.MALFORMED, refusal("not-a-jwt", T0));
        assertEquals(TokenException.Reason.MALFORMED, refusal("a.b", T0));
        assertEquals(TokenException.Reason.MALFORMED, refusal("%%%.###.!!!", T0));
        assertEquals(TokenException.Reason.MALFORMED, refusal(null, T0));
    }

    @Test
    void jwksRoundTripsAndSkipsForeignKeys() {
        String json = Jwks.toJson(Map.of("k1", (ECPublicKey) KEY.getPublic()));
        Map<String, ECPublicKey> parsed = Jwks.parse(json);
        assertTrue(EcKeys.sameKey((ECPublicKey) KEY.getPublic(), parsed.get("k1")));

        var verifier = new TokenVerifier(kid -> Optional.ofNullable(parsed.get(kid)), "berth", Duration.ZERO, at(T0));
        assertTrue(verifier.verify(sign(KEY, "k1", "berth", PULL_PUSH)).allows("repository", "team/app", "pull"));

        String mixed = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"r1\",\"n\":\"AQAB\",\"e\":\"AQAB\"},"
                + json.substring("{\"keys\":[".length());
        assertEquals(List.of("k1"), List.copyOf(Jwks.parse(mixed).keySet()));
    }

    @Test
    void malformedJwksIsRefusedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> Jwks.parse("not json"));
        assertThrows(IllegalArgumentException.class, () -> Jwks.parse("{\"nokeys\":[]}"));
        assertThrows(IllegalArgumentException.class,
                () -> Jwks.parse("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}]}"));
        assertThrows(IllegalArgumentException.class,
                () -> Jwks.parse("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"a\",\"x\":\"AA\",\"y\":\"AA\"}]}"));
    }
}
