package io.berth.security.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON Web Key Set of ES256 (P-256) signing keys, by key id: what auth publishes and what
 * registry-api verifies against. Keys of other types in a set are skipped, not refused, so a
 * set may carry keys for other uses.
 */
public final class Jwks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Jwks() {}

    /**
     * Parses a JWKS document.
     *
     * @throws IllegalArgumentException if it is not JSON, has no {@code keys} array, or an EC
     *     P-256 key in it is malformed or lacks a {@code kid}
     */
    public static Map<String, ECPublicKey> parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("JWKS is not valid JSON", e);
        }
        JsonNode keys = root == null ? null : root.get("keys");
        if (keys == null || !keys.isArray()) {
            throw new IllegalArgumentException("JWKS has no 'keys' array");
        }
        Map<String, ECPublicKey> out = new LinkedHashMap<>();
        for (JsonNode k : keys) {
            if (!"EC".equals(k.path("kty").asText()) || !"P-256".equals(k.path("crv").asText())) {
                continue;
            }
            String kid = k.path("kid").asText("");
            if (kid.isEmpty()) {
                throw new IllegalArgumentException("JWKS has a P-256 key without a 'kid'");
            }
            var decoder = Base64.getUrlDecoder();
            try {
                out.put(kid, EcKeys.fromCoordinates(
                        decoder.decode(k.path("x").asText()), decoder.decode(k.path("y").asText())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("JWKS key '" + kid + "' is malformed: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The JWKS document for these keys, each marked {@code use: sig, alg: ES256}. */
    public static String toJson(Map<String, ECPublicKey> keys) {
        ObjectNode root = JSON.createObjectNode();
        var array = root.putArray("keys");
        var encoder = Base64.getUrlEncoder().withoutPadding();
        keys.forEach((kid, key) -> array.addObject()
                .put("kty", "EC")
                .put("crv", "P-256")
                .put("kid", kid)
                .put("use", "sig")
                .put("alg", "ES256")
                .put("x", encoder.encodeToString(EcKeys.x(key)))
                .put("y", encoder.encodeToString(EcKeys.y(key))));
        return root.toString();
    }
}
