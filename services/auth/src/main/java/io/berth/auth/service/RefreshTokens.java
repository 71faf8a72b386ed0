package io.berth.auth.service;

import io.berth.auth.config.AuthConfig;
import io.berth.auth.metadata.RefreshTokenRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Refresh tokens of the Docker token specification: asked for with {@code offline_token=true}
 * (or {@code access_type=offline} in the OAuth2 form), redeemed with
 * {@code grant_type=refresh_token}. docker keeps one in its config in place of the password.
 *
 * <p>A token is 32 random bytes, stored only as its SHA-256, and lasts
 * {@code berth.auth.token.refresh-lifetime}. It carries no rights of its own: at each use the
 * account is read again (a robot must still be enabled and unexpired, a user must still be
 * enabled in Keycloak) and the scopes are granted from the account's roles of that moment. It is
 * revoked when its robot's secret is refreshed or the robot deleted, and when its user rotates or
 * revokes their CLI secret.
 */
@ApplicationScoped
public class RefreshTokens {

    /** Every refresh token starts with this. */
    static final String PREFIX = "berthrt_";

    /** Tokens kept per account; a newer one pushes out the oldest (each docker login makes one). */
    static final int KEEP_PER_ACCOUNT = 100;

    private final RefreshTokenRepository tokens;
    private final RobotService robots;
    private final KeycloakUsers keycloak;
    private final Duration lifetime;
    private final Clock clock = Clock.systemUTC();

    public RefreshTokens(RefreshTokenRepository tokens, RobotService robots, KeycloakUsers keycloak, AuthConfig config) {
        this.tokens = tokens;
        this.robots = robots;
        this.keycloak = keycloak;
        this.lifetime = config.token().refreshLifetime();
    }

    /** A new refresh token for {@code caller}, who must not be anonymous. */
    public String issue(Caller caller) {
        if (caller.anonymous()) {
            throw new IllegalArgumentException("an anonymous caller gets no refresh token");
        }
        String token = Secrets.generate(PREFIX);
        tokens.add(Secrets.sha256(token), caller.subject(), clock.instant().plus(lifetime), KEEP_PER_ACCOUNT);
        return token;
    }

    /**
     * The account {@code token} was issued to, as it is now; empty if the token is unknown,
     * expired or revoked, or its account is gone, disabled or expired.
     *
     * @throws KeycloakUsers.KeycloakUnavailableException if Keycloak cannot be asked about a user
     */
    public Optional<Caller> redeem(String token) {
        if (!token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        // Service accounts get no refresh tokens; a Keycloak user of such a name is not one of them.
        return tokens.use(Secrets.sha256(token)).filter(account -> !ServiceAccounts.reserved(account))
                .flatMap(account -> account.startsWith(RobotService.PREFIX)
                ? robots.current(account) : keycloak.lookup(account));
    }
}
