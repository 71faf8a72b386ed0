package io.berth.auth.service;

import io.berth.security.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens signed in the last {@code window}, by subject, signing key and exactly what they grant
 * (docs/adr/0026). An ES256 signature costs most of a token request on Java 17 (about a
 * millisecond of CPU); a robot of a CI farm asks for the same pull token over and over.
 *
 * <p>Reuse hands nothing out that a new signature would not: the grants are computed for every
 * request, after the credentials were checked, and a token is found only under exactly those
 * grants and the key that signs now. A caller whose role changed gets a new token at once; a
 * disabled one never reaches this. What differs is only the times: the token was issued up to
 * {@code window} ago, and the answer says so ({@code issued_at}, and {@code expires_in} of
 * what is left).
 */
final class TokenReuse {

    record Key(String subject, String keyId, List<Scope> granted) {}

    /** A signed token and when it was signed and ends. */
    record Signed(String token, Instant issuedAt, Instant expiresAt) {}

    private final Duration window;
    private final int maxEntries;
    private final ConcurrentHashMap<Key, Signed> signed = new ConcurrentHashMap<>();

    TokenReuse(Duration window, int maxEntries) {
        if (window.isNegative()) {
            throw new IllegalArgumentException("the reuse window must not be negative");
        }
        this.window = window;
        this.maxEntries = Math.max(1, maxEntries);
    }

    /** A token signed for {@code key} less than the window before {@code now}, if there is one. */
    Optional<Signed> find(Key key, Instant now) {
        if (window.isZero()) {
            return Optional.empty();
        }
        Signed s = signed.get(key);
        if (s == null || !now.isBefore(s.issuedAt().plus(window)) || now.isBefore(s.issuedAt())) {
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** Remembers a token just signed. Past the bound, the old ones go first, then all if need be. */
    void remember(Key key, Signed token, Instant now) {
        if (window.isZero()) {
            return;
        }
        if (signed.size() >= maxEntries) {
            signed.values().removeIf(s -> !now.isBefore(s.issuedAt().plus(window)));
            if (signed.size() >= maxEntries) {
                signed.clear();
            }
        }
        signed.put(key, token);
    }

    int size() {
        return signed.size();
    }
}
