package io.berth.oci;

/**
 * A repository name such as {@code team/app/component}: the {@code <name>} of every
 * {@code /v2/<name>/...} route. In berth its first path component is the project, which owns
 * members, roles, quotas and policies; the rest is the repository's path within it.
 *
 * <p>Valid names follow the distribution-spec grammar
 * {@code [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*} and are at
 * most {@value #MAX_LENGTH} characters long. That rules out upper case, {@code ..} and other
 * traversal, empty components ({@code a//b}), leading or trailing '/', and percent-encoding
 * ({@code %2e%2e} is just invalid characters, never decoded here).
 *
 * <p>An invalid name fails with a {@link RegistryException} carrying
 * {@link RegistryErrorCode#NAME_INVALID} and a detail naming the problem. Validation is a
 * single left-to-right scan, linear in the input, so hostile input cannot make it backtrack.
 *
 * @param value the full name; never null
 */
public record RepositoryName(String value) {

    /** The maximum length of a repository name. */
    public static final int MAX_LENGTH = 255;

    /**
     * Validates the name.
     *
     * @throws RegistryException NAME_INVALID if {@code value} is null, too long or violates
     *     the grammar
     */
    public RepositoryName {
        String problem = value == null ? "repository name is empty"
                : value.length() > MAX_LENGTH
                        ? "repository name is longer than " + MAX_LENGTH + " characters ("
                                + value.length() + ")"
                        : violation(value);
        if (problem != null) {
            throw RegistryException.of(RegistryErrorCode.NAME_INVALID, problem);
        }
    }

    /**
     * Parses a repository name.
     *
     * @throws RegistryException NAME_INVALID if {@code s} is null, too long or violates the
     *     grammar
     */
    public static RepositoryName parse(String s) {
        return new RepositoryName(s);
    }

    /** The first path component: berth's project, e.g. {@code team} for {@code team/app}. */
    public String project() {
        int slash = value.indexOf('/');
        return slash < 0 ? value : value.substring(0, slash);
    }

    /**
     * The name within the project, e.g. {@code app/component} for {@code team/app/component};
     * empty when the name is a single component.
     */
    public String path() {
        int slash = value.indexOf('/');
        return slash < 0 ? "" : value.substring(slash + 1);
    }

    /** The full name. */
    @Override
    public String toString() {
        return value;
    }

    /**
     * Null when {@code s} matches the grammar, else why not. Ignores the length limit, so that
     * tests can prove the scan linear on inputs far longer than any valid name.
     */
    static String violation(String s) {
        int n = s.length();
        if (n == 0) {
            return "repository name is empty";
        }
        int i = 0;
        while (true) {
            // At the start of a path component: it must open with [a-z0-9].
            if (i == n) {
                return "repository name " + Inputs.quote(s) + " must not end with '/'";
            }
            if (!Inputs.isLowerAlnum(s.charAt(i))) {
                return componentStart(s, i);
            }
            while (i < n && Inputs.isLowerAlnum(s.charAt(i))) {
                i++;
            }
            // After a run of [a-z0-9]: end, next component, or a separator then more [a-z0-9].
            while (true) {
                if (i == n) {
                    return null;
                }
                char c = s.charAt(i);
                if (c == '/') {
                    i++;
                    break;
                } else if (c == '.') {
                    i++;
                } else if (c == '_') {
                    i++;
                    if (i < n && s.charAt(i) == '_') {
                        i++;
                    }
                } else if (c == '-') {
                    while (i < n && s.charAt(i) == '-') {
                        i++;
                    }
                } else {
                    return "repository name " + Inputs.quote(s) + " has invalid character '" + c
                            + "' at index " + i + " (only a-z, 0-9, '.', '_', '-' and '/')";
                }
                if (i == n || !Inputs.isLowerAlnum(s.charAt(i))) {
                    return "repository name " + Inputs.quote(s) + " has a separator not followed"
                            + " by a-z or 0-9 at index " + i
                            + " (separators are '.', '_', '__' or a run of '-')";
                }
                while (i < n && Inputs.isLowerAlnum(s.charAt(i))) {
                    i++;
                }
            }
        }
    }

    private static String componentStart(String s, int i) {
        char c = s.charAt(i);
        if (c == '/') {
            return "repository name " + Inputs.quote(s)
                    + (i == 0 ? " must not start with '/'" : " has an empty path component at index " + i);
        }
        if (c >= 'A' && c <= 'Z') {
            return "repository name " + Inputs.quote(s) + " must be lowercase (found '" + c
                    + "' at index " + i + ")";
        }
        if (c == '.' || c == '_' || c == '-') {
            return "repository name " + Inputs.quote(s) + " has a path component starting with '"
                    + c + "' at index " + i + "; components start with a-z or 0-9";
        }
        return "repository name " + Inputs.quote(s) + " has invalid character '" + c
                + "' at index " + i + " (only a-z, 0-9, '.', '_', '-' and '/')";
    }
}
