package io.berth.security.token;

import static io.berth.security.token.TokenException.Reason.BAD_SIGNATURE;
import static io.berth.security.token.TokenException.Reason.EXPIRED;
import static io.berth.security.token.TokenException.Reason.MALFORMED;
import static io.berth.security.token.TokenException.Reason.NOT_YET_VALID;
import static io.berth.security.token.TokenException.Reason.UNKNOWN_KEY;
import static io.berth.security.token.TokenException.Reason.UNSUPPORTED_ALGORITHM;
import static io.berth.security.token.TokenException.Reason.WRONG_AUDIENCE;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.security.Scope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Verifies registry tokens locally: the ES256 signature against a key found by {@code kid},
 * then {@code aud}, {@code exp} and {@code nbf} (with a small clock skew). Only ES256 is
 * accepted; {@code alg: none} and HMAC algorithms are refused before any key is looked up.
 */
public final class TokenVerifier {

    private final Function<String, Optional<ECPublicKey>> keys;
    private final String audience;
    private final Duration skew;
    private final Clock clock;

    /**
     * @param keys finds the public key for a {@code kid} (a JWKS, possibly refreshed)
     * @param audience the {@code service} this verifier accepts tokens for, e.g. {@code berth}
     * @param skew how far clocks may disagree when checking {@code exp} and {@code nbf}
     */
    public TokenVerifier(Function<String, Optional<ECPublicKey>> keys, String audience, Duration skew, Clock clock) {
        this.keys = keys;
        this.audience = audience;
        this.skew = skew;
        this.clock = clock;
    }

    /**
     * The token's claims, if it is authentic and valid now.
     *
     * @throws TokenException with the reason it was refused
     */
    public RegistryToken verify(String compact) {
        String[] parts = compact == null ? new String[0] : compact.split("\\.", -1);
        if (parts.length != 3) {
            throw new TokenException(MALFORMED, "a JWT has three dot-separated parts");
        }
        JsonNode header = json(parts[0], "header");
        if (!"ES256".equals(header.path("alg").asText())) {
            throw new TokenException(UNSUPPORTED_ALGORITHM, "only ES256 tokens are accepted");
        }
        String kid = header.path("kid").asText("");
        ECPublicKey key = keys.apply(kid).orElseThrow(() -> new TokenException(UNKNOWN_KEY, "unknown key id '" + kid + "'"));
        if (!signatureValid(key, parts)) {
            throw new TokenException(BAD_SIGNATURE, "signature does not verify");
        }
        JsonNode claims = json(parts[1], "claims");
        Instant now = clock.instant();
        Instant exp = instant(claims, "exp", true);
        Instant nbf = instant(claims, "nbf", false);
        if (!now.isBefore(exp.plus(skew))) {
            throw new TokenException(EXPIRED, "token expired at " + exp);
        }
        if (nbf != null && now.plus(skew).isBefore(nbf)) {
            throw new TokenException(NOT_YET_VALID, "token not valid before " + nbf);
        }
        if (!audiences(claims.get("aud")).contains(audience)) {
            throw new TokenException(WRONG_AUDIENCE, "token is not for '" + audience + "'");
        }
        return new RegistryToken(claims.path("iss").asText(null), claims.path("sub").asText(""),
                audience, instant(claims, "iat", false), nbf, exp, claims.path("jti").asText(null),
                access(claims.get("access")));
    }

    private static boolean signatureValid(ECPublicKey key, String[] parts) {
        try {
            byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(key);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return sig.length == 64 && verifier.verify(sig);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    private static JsonNode json(String part, String what) {
        try {
            JsonNode node = TokenSigner.JSON.readTree(Base64.getUrlDecoder().decode(part));
            if (node == null || !node.isObject()) {
                throw new TokenException(MALFORMED, "JWT " + what + " is not a JSON object");
            }
            return node;
        } catch (IOException | IllegalArgumentException e) {
            throw new TokenException(MALFORMED, "JWT " + what + " is not base64url JSON");
        }
    }

    private static Instant instant(JsonNode claims, String name, boolean required) {
        JsonNode v = claims.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                throw new TokenException(MALFORMED, "claim '" + name + "' is missing");
            }
            return null;
        }
        if (!v.canConvertToLong()) {
            throw new TokenException(MALFORMED, "claim '" + name + "' is not a number of seconds");
        }
        return Instant.ofEpochSecond(v.asLong());
    }

    // The spec allows aud as one string or an array of strings.
    private static Set<String> audiences(JsonNode aud) {
        Set<String> out = new LinkedHashSet<>();
        if (aud != null && aud.isTextual()) {
            out.add(aud.asText());
        } else if (aud != null && aud.isArray()) {
            aud.forEach(a -> out.add(a.asText()));
        }
        return out;
    }

    private static List<Scope> access(JsonNode access) {
        List<Scope> out = new ArrayList<>();
        if (access == null || access.isNull()) {
            return out;
        }
        if (!access.isArray()) {
            throw new TokenException(MALFORMED, "claim 'access' is not an array");
        }
        for (JsonNode entry : access) {
            Set<String> actions = new LinkedHashSet<>();
            entry.path("actions").forEach(a -> actions.add(a.asText()));
            try {
                out.add(new Scope(entry.path("type").asText(), entry.path("name").asText(), actions));
            } catch (IllegalArgumentException e) {
                throw new TokenException(MALFORMED, "claim 'access' has an invalid entry: " + e.getMessage());
            }
        }
        return out;
    }
}
