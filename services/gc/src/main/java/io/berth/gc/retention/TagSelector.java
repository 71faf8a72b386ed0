package io.berth.gc.retention;

/**
 * Which artifacts of a repository a rule considers, by their tags. A tag is accepted if it
 * matches the {@link io.berth.security.policy.Glob} ({@code matches}) or if it does not
 * ({@code excludes}); a tagged artifact is selected if <em>any</em> of its tags is accepted, as
 * in Harbor (retention is decided per tag, carried out per artifact). An untagged artifact is
 * selected if and only if {@code untagged} is true, whatever the decoration (Harbor inverts the
 * flag under {@code excludes}; berth does not, see ADR 0029). Checked by {@link RetentionPolicy}.
 *
 * <p>As Harbor's console does, a pattern with commas and no braces is a list of alternatives:
 * {@code dev,test} is stored as {@code {dev,test}}.
 *
 * @param decoration {@code matches} or {@code excludes}
 * @param pattern the glob
 * @param untagged whether untagged artifacts are selected too (false if absent)
 */
public record TagSelector(String decoration, String pattern, boolean untagged) {

    /** Accepts a tag that matches the glob. */
    public static final String MATCHES = "matches";
    /** Accepts a tag that does not match the glob. */
    public static final String EXCLUDES = "excludes";

    public TagSelector {
        pattern = bracedList(pattern);
    }

    /** {@code matches} {@code pattern}, untagged artifacts not selected. */
    public static TagSelector matching(String pattern) {
        return new TagSelector(MATCHES, pattern, false);
    }

    /** {@code excludes} {@code pattern}, untagged artifacts not selected. */
    public static TagSelector excluding(String pattern) {
        return new TagSelector(EXCLUDES, pattern, false);
    }

    /** This selector with untagged artifacts selected too. */
    public TagSelector withUntagged() {
        return new TagSelector(decoration, pattern, true);
    }

    /** {@code a,b} as {@code {a,b}}; anything else as it is. */
    static String bracedList(String pattern) {
        if (pattern != null && pattern.indexOf(',') >= 0 && pattern.indexOf('{') < 0 && pattern.indexOf('}') < 0) {
            return "{" + pattern + "}";
        }
        return pattern;
    }
}
