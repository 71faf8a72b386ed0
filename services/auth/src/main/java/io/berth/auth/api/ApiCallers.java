package io.berth.auth.api;

import io.berth.auth.service.Caller;
import io.berth.auth.service.KeycloakPasswords;
import io.berth.auth.service.RobotService;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Who calls the management API: Basic credentials of a Keycloak user or of a robot account, as
 * Harbor's API takes them. Anything else is 401. (Keycloak bearer tokens, for the console, come
 * with the rest of issue #4.)
 */
@ApplicationScoped
public class ApiCallers {

    private final KeycloakPasswords passwords;
    private final RobotService robots;

    public ApiCallers(KeycloakPasswords passwords, RobotService robots) {
        this.passwords = passwords;
        this.robots = robots;
    }

    /**
     * The caller an {@code Authorization} header names.
     *
     * @throws ApiException UNAUTHORIZED without valid credentials, UNAVAILABLE if Keycloak
     *     cannot be asked
     */
    public Caller of(String authorization) {
        Optional<String[]> basic = basic(authorization);
        if (basic.isEmpty()) {
            throw new ApiException(ApiException.Code.UNAUTHORIZED, "this API needs Basic credentials of a user or robot");
        }
        String name = basic.get()[0];
        String secret = basic.get()[1];
        Optional<Caller> caller;
        try {
            caller = name.startsWith(RobotService.PREFIX) ? robots.authenticate(name, secret) : passwords.check(name, secret);
        } catch (KeycloakPasswords.KeycloakUnavailableException e) {
            throw new ApiException(ApiException.Code.UNAVAILABLE, "the identity provider cannot be reached; try again shortly");
        }
        return caller.orElseThrow(() -> new ApiException(ApiException.Code.UNAUTHORIZED, "the credentials are not valid"));
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
