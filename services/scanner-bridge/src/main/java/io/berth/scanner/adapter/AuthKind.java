package io.berth.scanner.adapter;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * How berth authenticates to a scanner adapter, as Harbor does: nothing, {@code Authorization:
 * Basic} of a {@code user:password} secret, {@code Authorization: Bearer} of a token, or the
 * {@code X-ScannerAdapter-API-Key} header. Stored in {@code scanners.auth_kind} by its wire name.
 */
public enum AuthKind {
    NONE("none"), BASIC("basic"), BEARER("bearer"), API_KEY("api-key");

    private final String wire;

    AuthKind(String wire) {
        this.wire = wire;
    }

    /** The name in the API and the database: none, basic, bearer, api-key. */
    public String wire() {
        return wire;
    }

    /** The kind named {@code name} (case-insensitive), or empty. */
    public static Optional<AuthKind> of(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (AuthKind k : values()) {
            if (k.wire.equals(n)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** Adds the header this kind sends with {@code secret} (nothing for NONE). */
    void apply(HttpRequest.Builder request, String secret) {
        switch (this) {
            case NONE -> { }
            case BASIC -> request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
            case BEARER -> request.header("Authorization", "Bearer " + secret);
            case API_KEY -> request.header(SpecMediaTypes.API_KEY_HEADER, secret);
        }
    }
}
