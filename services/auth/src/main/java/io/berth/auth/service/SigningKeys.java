package io.berth.auth.service;

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
 * replaces it. The replaced key stays in the JWKS until the last token it can have signed has
 * expired (the token lifetime plus a minute for clocks), so rotating never invalidates a token.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    /** Margin for clocks that disagree, on top of the token lifetime. */
    private static final Duration SKEW = Duration.ofMinutes(1);

    /** How often a replica checks whether rotation is due, and rereads which key signs. */
    private static final Duration CHECK_EVERY = Duration.ofMinutes(1);

    /** The key that signs, with its decrypted private half. */
    public record ActiveKey(String kid, ECPrivateKey privateKey, ECPublicKey publicKey) {}

    private final SigningKeyRepository keys;
    private final KeyCipher cipher;
    private final Duration rotationPeriod;
    private final Duration publishAfterRetirement;
    private final Clock clock;
    private volatile ActiveKey active;
    private ScheduledExecutorService checker;

    public SigningKeys(SigningKeyRepository keys, AuthConfig config) {
        this.keys = keys;
        this.cipher = new KeyCipher(config.keys().secret());
        this.rotationPeriod = config.keys().rotationPeriod();
        this.publishAfterRetirement = config.token().lifetime().plus(SKEW);
        this.clock = Clock.systemUTC();
    }

    void start(@Observes StartupEvent started) {
        rotateIfDue();
        checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "berth-key-rotation");
            t.setDaemon(true);
            return t;
        });
        checker.scheduleWithFixedDelay(() -> {
            try {
                rotateIfDue();
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
        return a != null ? a : rotateIfDue();
    }

    /** The JWKS document: every key a valid token can have been signed with. */
    public String jwks() {
        Map<String, ECPublicKey> published = new LinkedHashMap<>();
        for (StoredKey k : keys.published(clock.instant())) {
            published.put(k.kid(), k.publicKey());
        }
        return Jwks.toJson(published);
    }

    /** Replaces the signing key now, whatever its age (an operator's rotation, or a suspected leak). */
    public ActiveKey rotate() {
        return load(keys.rotate(current -> true, this::newKey, clock.instant(), clock.instant().plus(publishAfterRetirement)));
    }

    /** Makes a key if there is none, or replaces one older than the rotation period. */
    ActiveKey rotateIfDue() {
        Instant now = clock.instant();
        return load(keys.rotate(current -> isDue(current, now), this::newKey, now, now.plus(publishAfterRetirement)));
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
            return new StoredKey(kid, (ECPublicKey) pair.getPublic(), cipher.encrypt(pair.getPrivate().getEncoded()),
                    clock.instant(), null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a P-256 key pair", e);
        }
    }

    private ActiveKey load(StoredKey stored) {
        ActiveKey a = active;
        if (a != null && a.kid().equals(stored.kid())) {
            return a;
        }
        try {
            var privateKey = (ECPrivateKey) KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(cipher.decrypt(stored.sealedPrivateKey())));
            a = new ActiveKey(stored.kid(), privateKey, stored.publicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored signing key " + stored.kid() + " is not a PKCS#8 EC key", e);
        }
        active = a;
        return a;
    }
}
