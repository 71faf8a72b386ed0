package io.berth.auth.service;

import java.util.Set;

/**
 * Who asks for a token.
 *
 * @param subject the {@code sub} of the token: the username, or "" for an anonymous caller
 * @param admin whether the caller is a system administrator (Keycloak realm role {@code berth-admin})
 * @param groups the Keycloak groups the caller is in, which may be project members
 */
public record Caller(String subject, boolean admin, Set<String> groups) {

    public static final Caller ANONYMOUS = new Caller("", false, Set.of());

    public Caller {
        groups = Set.copyOf(groups);
    }

    public boolean anonymous() {
        return subject.isEmpty();
    }
}
