package io.berth.security.token;

import io.berth.security.Scope;
import java.time.Instant;
import java.util.List;

/**
 * The verified claims of a registry token, per the Docker Registry token specification:
 * who it was issued to ({@code sub}), for which service ({@code aud}), when it is valid, and
 * the {@code access} it grants as a list of scopes.
 */
public record RegistryToken(
        String issuer,
        String subject,
        String audience,
        Instant issuedAt,
        Instant notBefore,
        Instant expiresAt,
        String id,
        List<Scope> access) {

    public RegistryToken {
        access = List.copyOf(access);
    }

    /**
     * Whether the token grants {@code action} on the resource {@code type:name}. A granted
     * {@code *} covers every action.
     */
    public boolean allows(String type, String name, String action) {
        for (Scope s : access) {
            if (s.type().equals(type) && s.name().equals(name)
                    && (s.actions().contains(action) || s.actions().contains(Scope.WILDCARD))) {
                return true;
            }
        }
        return false;
    }
}
