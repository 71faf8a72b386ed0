package io.berth.security.token;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.security.Scope;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Signs registry tokens: compact ES256 JWTs with the claims of the Docker Registry token
 * specification ({@code iss, sub, aud, exp, nbf, iat, jti, access}). auth uses it to issue
 * tokens; tests use it to sign their own.
 */
public final class TokenSigner {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String keyId;
    private final ECPrivateKey key;
    private final String issuer;
    private final Clock clock;

    /**
     * @param keyId the {@code kid} of the key, as published in the JWKS
     * @param key a P-256 private key
     */
    public TokenSigner(String keyId, ECPrivateKey key, String issuer, Clock clock) {
        this.keyId = keyId;
        this.key = key;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** A token for {@code subject} and {@code audience}, valid from now for {@code lifetime}. */
    public String sign(String subject, String audience, Duration lifetime, List<Scope> access) {
        Instant now = clock.instant();
        ObjectNode header = JSON.createObjectNode().put("alg", "ES256").put("typ", "JWT").put("kid", keyId);
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", issuer)
                .put("sub", subject)
                .put("aud", audience)
                .put("iat", now.getEpochSecond())
                .put("nbf", now.getEpochSecond())
                .put("exp", now.plus(lifetime).getEpochSecond())
                .put("jti", UUID.randomUUID().toString());
        var array = claims.putArray("access");
        for (Scope s : access) {
            var entry = array.addObject().put("type", s.type()).put("name", s.name());
            var actions = entry.putArray("actions");
            s.actions().forEach(actions::add);
        }
        var encoder = Base64.getUrlEncoder().withoutPadding();
        String signingInput = encoder.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8))
                + "." + encoder.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            // JWS wants the raw r||s form, which is what the P1363 variant produces.
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + encoder.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token with key " + keyId, e);
        }
    }
}
