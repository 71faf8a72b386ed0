package io.berth.auth.service;

import io.berth.auth.events.AuditOutbox;
import io.berth.auth.events.RevocationPublisher;
import io.berth.auth.metadata.CliSecretRepository;
import io.berth.auth.metadata.CliSecretRepository.StoredSecret;
import io.berth.auth.metadata.RefreshTokenRepository;
import io.berth.events.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * CLI secrets: what a single-sign-on user (who may have no Keycloak password at all) gives
 * {@code docker login} instead of a password. One per user, shown once, stored as a bcrypt hash.
 * Unlike Harbor's, it does not end with a browser session: it lasts until its user rotates or
 * revokes it. A login with it still asks Keycloak whether the user exists and is enabled, and
 * which roles and groups they have, so disabling someone in Keycloak stops their secret too.
 *
 * <p>Rotating or revoking the secret also revokes the user's refresh tokens, so a leaked secret
 * leaves nothing behind once replaced, and announces the user to every replica's credential
 * cache ({@link RevocationPublisher}).
 */
@ApplicationScoped
public class CliSecrets {

    /**
     * Every CLI secret starts with this. A password that does not is never checked as one, and
     * one that does is checked only as one (never sent to Keycloak as a password).
     */
    public static final String PREFIX = "berthcli_";

    /** When a user's secret was made and last used. */
    public record Status(java.time.Instant createdAt, java.time.Instant lastUsedAt) {}

    private final CliSecretRepository secrets;
    private final RefreshTokenRepository refreshTokens;
    private final KeycloakUsers keycloak;
    private final AuditOutbox audit;
    private final RevocationPublisher revocations;

    public CliSecrets(CliSecretRepository secrets, RefreshTokenRepository refreshTokens, KeycloakUsers keycloak,
            AuditOutbox audit, RevocationPublisher revocations) {
        this.secrets = secrets;
        this.refreshTokens = refreshTokens;
        this.keycloak = keycloak;
        this.audit = audit;
        this.revocations = revocations;
    }

    /** Whether {@code password} has the form of a CLI secret. */
    public static boolean looksLikeOne(String password) {
        return password.startsWith(PREFIX);
    }

    /** Makes a new secret for {@code username}, replacing any they had; returns it (shown once). */
    @Transactional
    public String create(String username) {
        String secret = Secrets.generate(PREFIX);
        boolean replaced = secrets.replace(username, Secrets.bcrypt(secret));
        refreshTokens.deleteAll(username);
        if (replaced) {
            revocations.revoked(username);
        }
        audit.write(EventType.CLI_SECRET_CREATED, username, Map.of("username", username, "rotated", replaced,
                "actor", username));
        return secret;
    }

    /** Revokes the user's secret and refresh tokens; false if they had no secret. */
    @Transactional
    public boolean revoke(String username) {
        if (!secrets.delete(username)) {
            return false;
        }
        refreshTokens.deleteAll(username);
        revocations.revoked(username);
        audit.write(EventType.CLI_SECRET_DELETED, username, Map.of("username", username, "actor", username));
        return true;
    }

    public Optional<Status> status(String username) {
        return secrets.find(username).map(s -> new Status(s.createdAt(), s.lastUsedAt()));
    }

    /**
     * The user, if {@code secret} is their CLI secret and Keycloak has them enabled; takes about
     * as long for an unknown user as for a wrong secret.
     *
     * @throws KeycloakUsers.KeycloakUnavailableException if Keycloak cannot be asked
     */
    public Optional<Caller> authenticate(String username, String secret) {
        // Keycloak keeps usernames in lower case and matches them ignoring case.
        String name = username.toLowerCase(Locale.ROOT);
        Optional<StoredSecret> stored = secrets.find(name);
        if (!Secrets.matches(stored.map(StoredSecret::secretHash).orElse(null), secret)) {
            return Optional.empty();
        }
        Optional<Caller> user = keycloak.lookup(name);
        if (user.isPresent()) {
            secrets.touch(name, stored.get().secretHash());
        }
        return user;
    }
}
