package io.berth.registry.security;

import io.berth.security.Scope;
import io.berth.security.token.RegistryToken;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who is calling the management API and what its registry token lets it see
 * (docs/adr/0010-browsing-api.md): {@code registry:catalog:*} makes it an administrator who
 * reads every repository; otherwise it reads exactly the repositories it may {@code pull}.
 * Deleting needs {@code delete} on the repository, administrator or not.
 *
 * @param token the verified token, or null when authentication is switched off (the local
 *     stack until issue #4), which allows everything as {@code /v2} does then
 */
public record Caller(RegistryToken token) {

    /** The caller of a registry whose authentication is switched off. */
    public static final Caller UNRESTRICTED = new Caller(null);

    /** Whether the token grants {@code registry:catalog:*}, the registry-wide read. */
    public boolean isAdmin() {
        return token == null || token.allows("registry", "catalog", "*");
    }

    /** Whether the caller may read the repository (its artifacts and tags). */
    public boolean mayRead(String repository) {
        return isAdmin() || token.allows("repository", repository, "pull");
    }

    /** Whether the caller may delete artifacts and tags of the repository. */
    public boolean mayDelete(String repository) {
        return token == null || token.allows("repository", repository, "delete");
    }

    /**
     * The repositories of {@code project} the caller may read, by full name; null means all of
     * them (an administrator). Only names the token lists can appear, so a listing filtered by
     * this set never reveals a repository the caller was not given.
     */
    public Set<String> readableIn(String project) {
        if (isAdmin()) {
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        for (Scope s : token.access()) {
            if (s.type().equals("repository") && s.name().startsWith(project + "/")
                    && (s.has("pull") || s.has(Scope.WILDCARD))) {
                names.add(s.name());
            }
        }
        return names;
    }
}
