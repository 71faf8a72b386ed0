package io.berth.security.policy;

import java.util.List;
import java.util.Optional;

/**
 * A tag immutability rule of a project: a tag that matches it, in a repository that matches it,
 * cannot be overwritten or deleted once pushed (enforced by registry-api), nor deleted by
 * retention (gc). Both parts are {@link Glob}s, as Harbor's are: {@code *} within a path segment,
 * {@code **} across segments, {@code ?}, {@code {a,b}}.
 * Repository patterns match the repository's path within its project: for {@code team/app/api},
 * {@code app/api}.
 *
 * @param repositories the glob repositories must match, e.g. {@code **}
 * @param tags the glob tags must match, e.g. {@code v*}
 */
public record ImmutableTagRule(String repositories, String tags) {

    /** The longest pattern accepted. */
    public static final int MAX_PATTERN = Glob.MAX_LENGTH;

    public ImmutableTagRule {
        check("repositories", repositories);
        check("tags", tags);
    }

    /** Whether pushing {@code tag} into {@code repositoryInProject} falls under this rule. */
    public boolean matches(String repositoryInProject, String tag) {
        return Glob.compile(repositories).matches(repositoryInProject) && Glob.compile(tags).matches(tag);
    }

    /**
     * The first of {@code rules} that {@code tag} in {@code repositoryInProject} falls under, if
     * any: the rule a refused push or delete names.
     */
    public static Optional<ImmutableTagRule> firstMatch(List<ImmutableTagRule> rules, String repositoryInProject,
            String tag) {
        return rules.stream().filter(r -> r.matches(repositoryInProject, tag)).findFirst();
    }

    /** The rule as people read it in an error message: {@code repositories "**", tags "v*"}. */
    public String describe() {
        return "repositories \"" + repositories + "\", tags \"" + tags + "\"";
    }

    private static void check(String what, String glob) {
        Glob.validate("a rule's " + what, glob);
    }
}
