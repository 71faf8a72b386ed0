package io.berth.gc.retention;

/**
 * Which repositories of the project a rule applies to: those whose path within the project
 * ({@code frontend} for {@code myapp/frontend}) matches the {@link io.berth.security.policy.Glob}
 * ({@code repoMatches}), or those that do not ({@code repoExcludes}). Checked by
 * {@link RetentionPolicy}, not here.
 *
 * <p>As Harbor's console does, a pattern with commas and no braces is a list of alternatives:
 * {@code web,api} is stored as {@code {web,api}}.
 *
 * @param decoration {@code repoMatches} or {@code repoExcludes}
 * @param pattern the glob
 */
public record RepositorySelector(String decoration, String pattern) {

    /** Selects a repository that matches the glob. */
    public static final String MATCHES = "repoMatches";
    /** Selects a repository that does not match the glob. */
    public static final String EXCLUDES = "repoExcludes";

    public RepositorySelector {
        pattern = TagSelector.bracedList(pattern);
    }

    /** {@code repoMatches} {@code pattern}. */
    public static RepositorySelector matching(String pattern) {
        return new RepositorySelector(MATCHES, pattern);
    }

    /** {@code repoExcludes} {@code pattern}. */
    public static RepositorySelector excluding(String pattern) {
        return new RepositorySelector(EXCLUDES, pattern);
    }
}
