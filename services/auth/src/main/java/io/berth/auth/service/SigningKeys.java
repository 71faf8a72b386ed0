package io.berth.auth.service;

import io.berth.security.crypto.SecretCipher;
import io.berth.auth.config.AuthConfig;
import io.berth.auth.metadata.SigningKeyRepository;
import io.berth.auth.metadata.SigningKeyRepository.StoredKey;
import io.berth.security.token.Jwks;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The P-256 keys auth signs registry tokens with, shared by every auth replica through
 * PostgreSQL. One key signs at a time; every {@code berth.auth.keys.rotation-period} a new one
 * replaces it. Rotating never makes a valid token fail:
 * <ul>
 *   <li>the new key is in the JWKS {@code berth.auth.keys.publish-ahead} before it signs, so a
 *       verifier that limits how often it fetches the JWKS (registry-api's
 *       {@code jwks-min-refresh}) holds it by the time it meets its first token;
 *   <li>the replaced key stays in the JWKS until the last token it can have signed has expired
 *       (the token lifetime plus a minute for clocks).
 * </ul>
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    /** Margin for clocks that disagree, on top of the token lifetime. */
    private static final Duration SKEW = Duration.ofMinutes(1);

    /** How often a replica checks whether rotation is due, and rereads which key signs. */
    private static final Duration CHECK_EVERY = Duration.ofMinutes(1);

    /**
     * The key that signs, with its decrypted private half.
     *
     * @param signsUntil when the next key takes over, or null if none is scheduled
     */
    public record ActiveKey(String kid, ECPrivateKey privateKey, ECPublicKey publicKey, Instant signsUntil) {}

    /** A key that a rotation made: in the JWKS now, signing from {@code signsFrom}. */
    public record Scheduled(String kid, Instant signsFrom) {}

    private final SigningKeyRepository keys;
    private final SecretCipher cipher;
    private final Duration rotationPeriod;
    private final Duration publishAhead;
    private final Duration publishAfterRetirement;
    private final Clock clock;
    private volatile ActiveKey active;
    private ScheduledExecutorService checker;

    public SigningKeys(SigningKeyRepository keys, AuthConfig config) {
        this.keys = keys;
        this.cipher = new SecretCipher(config.keys().secret(), "berth.auth.keys.secret");
        this.rotationPeriod = config.keys().rotationPeriod();
        this.publishAhead = config.keys().publishAhead();
        this.publishAfterRetirement = config.token().lifetime().plus(SKEW);
        this.clock = Clock.systemUTC();
    }

    void start(@Observes StartupEvent started) {
        rotateIfDue();
        refresh();
        checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "berth-key-rotation");
            t.setDaemon(true);
            return t;
        });
        checker.scheduleWithFixedDelay(() -> {
            try {
                rotateIfDue();
                refresh();
            } catch (RuntimeException e) {
                LOG.warnf("checking the token signing key failed, trying again in %s: %s", CHECK_EVERY, e.getMessage());
            }
        }, CHECK_EVERY.toSeconds(), CHECK_EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (checker != null) {
            checker.shutdownNow();
        }
    }

    /** The key to sign with now. */
    public ActiveKey active() {
        ActiveKey a = active;
        if (a == null || (a.signsUntil() != null && !clock.instant().isBefore(a.signsUntil()))) {
            a = refresh();
        }
        return a;
    }

    /**
     * Reads which key signs now (another replica may have scheduled a rotation); the scheduler
     * does this every minute.
     */
    public ActiveKey refresh() {
        Instant now = clock.instant();
        StoredKey signing = keys.signing(now).orElseGet(() -> {
            rotateIfDue();
            return keys.signing(now).orElseThrow(() -> new IllegalStateException("no token signing key signs now"));
        });
        return load(signing);
    }

    /** The JWKS document: every key a valid token can have been signed with. */
    public String jwks() {
        Map<String, ECPublicKey> published = new LinkedHashMap<>();
        for (StoredKey k : keys.published(clock.instant())) {
            published.put(k.kid(), k.publicKey());
        }
        return Jwks.toJson(published);
    }

    /**
     * Rotates now, whatever the key's age (an operator's rotation, or a suspected leak): the new
     * key is published at once and signs after {@code publish-ahead}.
     */
    public Scheduled rotate() {
        StoredKey next = keys.rotate(current -> true, this::newKey, clock.instant().plus(publishAhead), publishAfterRetirement);
        refresh();
        return new Scheduled(next.kid(), next.signsFrom());
    }

    /** Makes a key if there is none, or schedules the successor of one older than the rotation period. */
    void rotateIfDue() {
        Instant now = clock.instant();
        keys.rotate(current -> isDue(current, now), this::newKey, now.plus(publishAhead), publishAfterRetirement);
    }

    private boolean isDue(Optional<StoredKey> current, Instant now) {
        return current.isEmpty() || !current.get().createdAt().plus(rotationPeriod).isAfter(now);
    }

    private StoredKey newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            String kid = UUID.randomUUID().toString();
            LOG.infof("new token signing key %s", kid);
            return new StoredKey(kid, (ECPublicKey) pair.getPublic(), cipher.seal(pair.getPrivate().getEncoded(), null),
                    clock.instant(), null, null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a P-256 key pair", e);
        }
    }

    private ActiveKey load(StoredKey stored) {
        ActiveKey a = active;
        if (a != null && a.kid().equals(stored.kid()) && java.util.Objects.equals(a.signsUntil(), stored.retiredAt())) {
            return a;
        }
        try {
            var privateKey = a != null && a.kid().equals(stored.kid()) ? a.privateKey()
                    : (ECPrivateKey) KeyFactory.getInstance("EC")
                            .generatePrivate(new PKCS8EncodedKeySpec(cipher.open(stored.sealedPrivateKey(), (byte[]) null)));
            a = new ActiveKey(stored.kid(), privateKey, stored.publicKey(), stored.retiredAt());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored signing key " + stored.kid() + " is not a PKCS#8 EC key", e);
        }
        active = a;
        return a;
    }
}
