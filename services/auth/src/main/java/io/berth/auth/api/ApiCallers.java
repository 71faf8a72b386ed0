package io.berth.auth.api;

import io.berth.auth.service.CachedCredentials;
import io.berth.auth.service.Caller;
import io.berth.auth.service.CliSecrets;
import io.berth.auth.service.KeycloakBearer;
import io.berth.auth.service.KeycloakUsers;
import io.berth.auth.service.LoginGuard;
import io.berth.auth.service.RefreshTokens;
import io.berth.auth.service.RobotService;
import io.berth.auth.service.ServiceAccounts;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who calls, for the token service and the management API alike (as Harbor's API takes them):
 * <ul>
 *   <li>Basic credentials of a Keycloak user, with their password or their CLI secret;
 *   <li>Basic credentials of a robot account;
 *   <li>Basic credentials of a service account ({@code service$<name>}, token service only:
 *       {@link #forToken});
 *   <li>a Keycloak access token as {@code Bearer}, as the console and scripts send it
 *       (management API only);
 *   <li>a refresh token (token service only).
 * </ul>
 * Every check of a secret goes through the {@link LoginGuard}, so failures are limited, counted
 * and audited in one place. Successful checks of Basic credentials are remembered briefly
 * ({@link CachedCredentials}); failures never are.
 */
@ApplicationScoped
public class ApiCallers {

    private static final Logger LOG = Logger.getLogger(ApiCallers.class);

    /** Longer names are refused unchecked (Keycloak allows 255 characters). */
    static final int MAX_NAME = 255;
    /** Longer secrets are refused unchecked: berth's are 50 characters, bcrypt reads 72 bytes. */
    static final int MAX_SECRET = 1024;

    /** How the caller proved who they are. */
    public enum Credential { PASSWORD, CLI_SECRET, ROBOT_SECRET, SERVICE_SECRET, BEARER, REFRESH_TOKEN }

    /** A caller and the kind of credential they used. */
    public record Authenticated(Caller caller, Credential credential) {}

    private final KeycloakUsers keycloak;
    private final KeycloakBearer bearer;
    private final CliSecrets cliSecrets;
    private final RobotService robots;
    private final RefreshTokens refreshTokens;
    private final LoginGuard guard;
    private final CachedCredentials cached;
    private final ServiceAccounts services;
    private final RoutingContext http;

    public ApiCallers(KeycloakUsers keycloak, KeycloakBearer bearer, CliSecrets cliSecrets, RobotService robots,
            RefreshTokens refreshTokens, LoginGuard guard, CachedCredentials cached, ServiceAccounts services,
            RoutingContext http) {
        this.services = services;
        this.keycloak = keycloak;
        this.bearer = bearer;
        this.cliSecrets = cliSecrets;
        this.robots = robots;
        this.refreshTokens = refreshTokens;
        this.guard = guard;
        this.cached = cached;
        this.http = http;
    }

    /**
     * The caller an {@code Authorization} header of the current request names: Basic credentials
     * or a Keycloak bearer token. Failures are counted for the account and for the client's
     * address: the connection's, or what a trusted proxy says ({@link LoginGuard#clientOf}); never
     * an {@code X-Forwarded-For} a client wrote, which it could vary at will.
     *
     * @throws ApiException UNAUTHORIZED without valid credentials, TOO_MANY_REQUESTS while the
     *     account or address has failed too often, UNAVAILABLE if Keycloak cannot be asked
     */
    public Caller of(String authorization) {
        Caller caller = identify(authorization).caller();
        if (caller.isService()) {
            // A service account is for registry tokens; the management API is people's and robots'.
            throw new ApiException(ApiErrorCode.FORBIDDEN, "service accounts use the token service only");
        }
        return caller;
    }

    /** As {@link #of}, for the token service, which service accounts may use too. */
    public Caller forToken(String authorization) {
        return identify(authorization).caller();
    }

    /**
     * As {@link #of}, for what only a person signed in with a password or through the console may
     * do (manage CLI secrets): a robot or a CLI secret gets FORBIDDEN.
     */
    public Caller signedInPerson(String authorization) {
        Authenticated who = identify(authorization);
        if (who.credential() != Credential.PASSWORD && who.credential() != Credential.BEARER) {
            throw new ApiException(ApiErrorCode.FORBIDDEN,
                    "this needs a person's password or a console (Keycloak) token, not a CLI secret or a robot");
        }
        return who.caller();
    }

    /** The caller and credential of an {@code Authorization} header, checked as {@link #of} checks it. */
    public Authenticated identify(String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            Optional<Caller> person = keycloakAnswer(() -> bearer.verify(authorization.substring(7).trim()))
                    .filter(c -> !ServiceAccounts.reserved(c.subject()));
            if (person.isEmpty()) {
                LOG.debugf("refused a bearer token from %s", address());
            }
            return new Authenticated(person.orElseThrow(() -> unauthorized(
                    "the bearer token is not a valid Keycloak access token of berth's console or scripts")),
                    Credential.BEARER);
        }
        Optional<String[]> basic = basic(authorization);
        if (basic.isEmpty()) {
            throw unauthorized("Basic credentials of a user or robot, or a Keycloak bearer token, are needed");
        }
        return authenticate(basic.get()[0], basic.get()[1]);
    }

    /**
     * The caller these credentials belong to, checked as {@link #of} checks a Basic header: a
     * robot's secret, a user's CLI secret, or a user's Keycloak password.
     *
     * @throws ApiException as {@link #of}
     */
    public Authenticated authenticate(String name, String secret) {
        String kind = ServiceAccounts.reserved(name) ? "service" : name.startsWith(RobotService.PREFIX) ? "robot" : "user";
        if (name.isEmpty() || name.length() > MAX_NAME || secret.length() > MAX_SECRET) {
            // No name or secret of berth's is that long: refused before any bcrypt or Keycloak call.
            guard.failed(name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name, address(), kind, "too-long");
            throw unauthorized("the credentials are not valid");
        }
        // The guard first: past the limit even a remembered success is refused, or the cache
        // would tell a guesser which guess was right.
        refuseIfLimited(name, kind, address());
        if (kind.equals("service")) {
            // Not cached: the check is one hash, and a changed secret takes effect at once.
            return guarded(name, kind, () -> services.authenticate(name, secret)
                    .map(c -> new Authenticated(c, Credential.SERVICE_SECRET)));
        }
        var remembered = cached.check(name, secret, () -> Optional.of(guarded(name, kind, () -> check(kind, name, secret)))
                .map(a -> new CachedCredentials.Checked(a.caller(), a.credential().name(),
                        // A robot is remembered no longer than it lives.
                        a.caller().isRobot() ? robots.expiresAt(name).orElse(null) : null)));
        return remembered.map(c -> new Authenticated(c.caller(), Credential.valueOf(c.credential()))).orElseThrow();
    }

    private Optional<Authenticated> check(String kind, String name, String secret) {
        if (kind.equals("robot")) {
            return robots.authenticate(name, secret).map(c -> new Authenticated(c, Credential.ROBOT_SECRET));
        }
        if (CliSecrets.looksLikeOne(secret)) {
            // Checked as a CLI secret only: a wrong or revoked one is not sent on to Keycloak,
            // where it would be a failed password of the user (and trip Keycloak's lockout).
            return cliSecrets.authenticate(name, secret).map(c -> new Authenticated(c, Credential.CLI_SECRET));
        }
        return keycloak.check(name, secret).map(c -> new Authenticated(c, Credential.PASSWORD));
    }

    /**
     * The account a refresh token was issued to, as it is now. Failures count against the
     * connection's address only (the token names no account a guesser could be limited by).
     *
     * @throws ApiException as {@link #of}
     */
    public Authenticated redeem(String refreshToken) {
        return guarded("refresh-token@" + address(), "refresh_token",
                () -> refreshTokens.redeem(refreshToken).map(c -> new Authenticated(c, Credential.REFRESH_TOKEN)));
    }

    private void refuseIfLimited(String account, String kind, String address) {
        var refusal = guard.refusal(account, address);
        if (refusal.isPresent()) {
            guard.failed(account, address, kind, "limited");
            long seconds = Math.max(1, refusal.get().retryAfter().toSeconds());
            throw new ApiException(ApiErrorCode.TOO_MANY_REQUESTS,
                    "too many failed logins; try again in " + seconds + " s", seconds);
        }
    }

    private Authenticated guarded(String account, String kind, Supplier<Optional<Authenticated>> check) {
        String address = address();
        refuseIfLimited(account, kind, address);
        Optional<Authenticated> who = keycloakAnswer(check);
        if (who.isEmpty()) {
            LOG.debugf("refused the %s login of %s from %s", kind, account, address);
            guard.failed(account, address, kind, "invalid");
            throw unauthorized("the credentials are not valid");
        }
        LOG.debugf("%s logged in from %s with %s", who.get().caller().subject(), address, who.get().credential());
        guard.succeeded(account);
        return who.get();
    }

    /** UNAUTHORIZED with the challenge a browser or {@code curl --anyauth} answers with Basic credentials. */
    static ApiException unauthorized(String message) {
        return ApiException.unauthorized(message, "Basic realm=\"berth\"");
    }

    private static <T> T keycloakAnswer(Supplier<T> check) {
        try {
            return check.get();
        } catch (KeycloakUsers.KeycloakUnavailableException e) {
            throw new ApiException(ApiErrorCode.UNAVAILABLE, "the identity provider cannot be reached; try again shortly");
        }
    }

    private String address() {
        String peer = http.request().remoteAddress() == null ? "unknown" : http.request().remoteAddress().hostAddress();
        return guard.clientOf(http.request().getHeader("X-Forwarded-For"), peer);
    }

    /** The user and password of a Basic header, or empty if it is not one. */
    static Optional<String[]> basic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon <= 0 ? Optional.empty()
                    : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
