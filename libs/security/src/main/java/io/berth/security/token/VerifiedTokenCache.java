package io.berth.security.token;

import static io.berth.security.token.TokenException.Reason.EXPIRED;
import static io.berth.security.token.TokenException.Reason.NOT_YET_VALID;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the tokens a {@link TokenVerifier} has verified, so that the ES256 signature of a
 * token is checked once, not on every request that carries it. A client sends the same token
 * for a whole pull or push, often hundreds of requests, and on Java 17 one P-256 verification
 * costs about a millisecond of CPU: checked per request it capped authenticated manifest GETs
 * at about 1,000/s on two cores, where the same GETs with no authentication ran at 17,000/s.
 *
 * <p>Safe because a hit is the very same token: the key is the whole compact JWT, signature
 * included, compared by {@link String#equals}, so a token that differs by one character is
 * verified afresh. Time is checked again on every hit ({@code exp} and {@code nbf}, with the
 * verifier's skew), so a cached token stops working when it expires. A revoked signing key
 * does not end its tokens before they expire, as it did not before (the verifier checks the key
 * when it sees a token first). The cache holds at most {@code capacity} tokens; when full, the
 * expired ones go, and if none has expired it is emptied (memory stays bounded whatever the
 * tokens; a client that sends thousands of distinct valid tokens only costs verifications).
 */
public final class VerifiedTokenCache {

    private final TokenVerifier verifier;
    private final Duration skew;
    private final Clock clock;
    private final int capacity;
    private final ConcurrentHashMap<String, RegistryToken> verified = new ConcurrentHashMap<>();

    /**
     * @param verifier checks a token the cache has not seen
     * @param skew the verifier's clock skew, applied to {@code exp} and {@code nbf} on a hit
     * @param capacity the most tokens held
     */
    public VerifiedTokenCache(TokenVerifier verifier, Duration skew, Clock clock, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.verifier = verifier;
        this.skew = skew;
        this.clock = clock;
        this.capacity = capacity;
    }

    /**
     * The token's claims, if it is authentic and valid now.
     *
     * @throws TokenException with the reason it was refused, as {@link TokenVerifier#verify}
     */
    public RegistryToken verify(String compact) {
        if (compact == null) {
            return verifier.verify(null);
        }
        RegistryToken known = verified.get(compact);
        if (known != null) {
            Instant now = clock.instant();
            if (!now.isBefore(known.expiresAt().plus(skew))) {
                verified.remove(compact, known);
                throw new TokenException(EXPIRED, "token expired at " + known.expiresAt());
            }
            if (known.notBefore() != null && now.plus(skew).isBefore(known.notBefore())) {
                throw new TokenException(NOT_YET_VALID, "token not valid before " + known.notBefore());
            }
            return known;
        }
        RegistryToken token = verifier.verify(compact);
        if (verified.size() >= capacity) {
            makeRoom();
        }
        verified.put(compact, token);
        return token;
    }

    /** How many tokens are held (for tests and metrics). */
    public int size() {
        return verified.size();
    }

    private void makeRoom() {
        Instant now = clock.instant();
        verified.values().removeIf(t -> !now.isBefore(t.expiresAt().plus(skew)));
        if (verified.size() >= capacity) {
            verified.clear();
        }
    }
}
