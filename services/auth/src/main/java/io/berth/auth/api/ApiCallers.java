package io.berth.auth.api;

import io.berth.auth.service.Caller;
import io.berth.auth.service.KeycloakPasswords;
import io.berth.auth.service.LoginGuard;
import io.berth.auth.service.RobotService;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Who calls: Basic credentials of a Keycloak user or of a robot account, for the token service
 * and the management API alike (as Harbor's API takes them). Every check goes through the
 * {@link LoginGuard}, so failures are limited, counted and audited in one place. (Keycloak
 * bearer tokens, for the console, come with the rest of issue #4.)
 */
@ApplicationScoped
public class ApiCallers {

    private final KeycloakPasswords passwords;
    private final RobotService robots;
    private final LoginGuard guard;
    private final RoutingContext http;

    public ApiCallers(KeycloakPasswords passwords, RobotService robots, LoginGuard guard, RoutingContext http) {
        this.passwords = passwords;
        this.robots = robots;
        this.guard = guard;
        this.http = http;
    }

    /**
     * The caller an {@code Authorization} header of the current request names. Failures are
     * counted for the account and for the connection's address (not {@code X-Forwarded-For},
     * which a client could vary at will).
     *
     * @throws ApiException UNAUTHORIZED without valid credentials, TOO_MANY_REQUESTS while the
     *     account or address has failed too often, UNAVAILABLE if Keycloak cannot be asked
     */
    public Caller of(String authorization) {
        Optional<String[]> basic = basic(authorization);
        if (basic.isEmpty()) {
            throw new ApiException(ApiException.Code.UNAUTHORIZED, "Basic credentials of a user or robot are needed");
        }
        return authenticate(basic.get()[0], basic.get()[1]);
    }

    /**
     * The caller these credentials belong to, checked as {@link #of} checks a Basic header.
     *
     * @throws ApiException as {@link #of}
     */
    public Caller authenticate(String name, String secret) {
        String address = http.request().remoteAddress() == null ? "unknown" : http.request().remoteAddress().host();
        String kind = name.startsWith(RobotService.PREFIX) ? "robot" : "user";
        var refusal = guard.refusal(name, address);
        if (refusal.isPresent()) {
            guard.failed(name, address, kind, "limited");
            long seconds = Math.max(1, refusal.get().retryAfter().toSeconds());
            throw new ApiException(ApiException.Code.TOO_MANY_REQUESTS,
                    "too many failed logins; try again in " + seconds + " s", seconds);
        }
        Optional<Caller> caller;
        try {
            caller = kind.equals("robot") ? robots.authenticate(name, secret) : passwords.check(name, secret);
        } catch (KeycloakPasswords.KeycloakUnavailableException e) {
            throw new ApiException(ApiException.Code.UNAVAILABLE, "the identity provider cannot be reached; try again shortly");
        }
        if (caller.isEmpty()) {
            guard.failed(name, address, kind, "invalid");
            throw new ApiException(ApiException.Code.UNAUTHORIZED, "the credentials are not valid");
        }
        guard.succeeded(name);
        return caller.get();
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
