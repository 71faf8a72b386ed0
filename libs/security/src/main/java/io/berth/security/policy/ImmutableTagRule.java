package io.berth.security.policy;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A tag immutability rule of a project: a tag that matches it, in a repository that matches it,
 * cannot be overwritten or deleted once pushed (enforced by registry-api). Both parts are globs,
 * as Harbor's are:
 * <ul>
 *   <li>{@code *} matches any run of characters except {@code /};
 *   <li>{@code **} matches any run of characters, {@code /} included;
 *   <li>{@code ?} matches one character except {@code /};
 *   <li>{@code {a,b}} matches either alternative (no nesting).
 * </ul>
 * Repository patterns match the repository's path within its project: for {@code team/app/api},
 * {@code app/api}.
 *
 * @param repositories the glob repositories must match, e.g. {@code **}
 * @param tags the glob tags must match, e.g. {@code v*}
 */
public record ImmutableTagRule(String repositories, String tags) {

    /** The longest pattern accepted. */
    public static final int MAX_PATTERN = 255;

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._\\-/*?{},]+");

    public ImmutableTagRule {
        check("repositories", repositories);
        check("tags", tags);
    }

    /** Whether pushing {@code tag} into {@code repositoryInProject} falls under this rule. */
    public boolean matches(String repositoryInProject, String tag) {
        return regex(repositories).matcher(repositoryInProject).matches() && regex(tags).matcher(tag).matches();
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
        if (glob == null || glob.isEmpty() || glob.length() > MAX_PATTERN || !ALLOWED.matcher(glob).matches()) {
            throw new IllegalArgumentException("a rule's " + what + " is a glob of up to " + MAX_PATTERN
                    + " letters, digits and . _ - / * ? { } ,");
        }
        regex(glob);
    }

    /** The regular expression a glob stands for. */
    static Pattern regex(String glob) {
        StringBuilder re = new StringBuilder();
        boolean inBraces = false;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        re.append(".*");
                        i++;
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '{' -> {
                    if (inBraces) {
                        throw new IllegalArgumentException("braces in a rule's glob cannot nest: " + glob);
                    }
                    inBraces = true;
                    re.append("(?:");
                }
                case '}' -> {
                    if (!inBraces) {
                        throw new IllegalArgumentException("a '}' without its '{' in a rule's glob: " + glob);
                    }
                    inBraces = false;
                    re.append(')');
                }
                case ',' -> re.append(inBraces ? "|" : ",");
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (inBraces) {
            throw new IllegalArgumentException("a '{' without its '}' in a rule's glob: " + glob);
        }
        return Pattern.compile(re.toString());
    }
}
