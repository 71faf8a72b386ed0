package io.berth.registry.security;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a registry request needs from a token, derived from its method and path: {@code pull}
 * to read a repository, {@code push} to write it, {@code delete} to delete from it, plus
 * {@code pull} on the source of a cross-repository mount. {@code /v2/} needs any valid token;
 * {@code /v2/_catalog} needs {@code registry:catalog:*}.
 */
public record RequiredAccess(String type, String name, String action) {

    // Greedy: a repository whose name contains "/blobs/" still resolves to the last route word.
    private static final Pattern REPOSITORY_ROUTE =
            Pattern.compile("^/v2/(.+)/(blobs|manifests|tags|referrers)(/.*)?$");

    /** An authenticated caller, whatever it may access ({@code GET /v2/}). */
    public static final RequiredAccess ANY = new RequiredAccess("", "", "");

    /** The challenge scope for this access, e.g. {@code repository:team/app:pull,push}. */
    public String challengeScope() {
        // Clients that push also read (HEAD before upload), so a push challenge asks for both.
        String actions = action.equals("push") ? "pull,push" : action;
        return type + ":" + name + ":" + actions;
    }

    /**
     * The access a request needs; empty for paths outside the registry API ({@code /q/...}),
     * which other means protect.
     */
    public static List<RequiredAccess> of(String method, String path, String mountFrom) {
        if (path.equals("/v2") || path.equals("/v2/")) {
            return List.of(ANY);
        }
        if (path.equals("/v2/_catalog")) {
            return List.of(new RequiredAccess("registry", "catalog", "*"));
        }
        var m = REPOSITORY_ROUTE.matcher(path);
        if (!path.startsWith("/v2/") || !m.matches()) {
            return path.startsWith("/v2/") ? List.of(ANY) : List.of();
        }
        String name = m.group(1);
        String action = switch (method) {
            case "GET", "HEAD" -> "pull";
            case "DELETE" -> "delete";
            default -> "push";
        };
        var own = new RequiredAccess("repository", name, action);
        if (mountFrom != null && !mountFrom.isEmpty() && "POST".equals(method)) {
            return List.of(own, new RequiredAccess("repository", mountFrom, "pull"));
        }
        return List.of(own);
    }
}
