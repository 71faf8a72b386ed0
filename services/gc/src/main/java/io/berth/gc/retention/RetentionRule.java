package io.berth.gc.retention;

/**
 * One rule of a {@link RetentionPolicy}: in the repositories its repository selector selects,
 * it retains, of the artifacts its tag selector selects, those its template keeps. Checked by
 * {@link RetentionPolicy}, whose messages name the rule by its position.
 *
 * <pre>{@code
 * {"template":"latestPushedK","params":{"count":3},
 *  "repositories":{"decoration":"repoMatches","pattern":"frontend"},
 *  "tags":{"decoration":"matches","pattern":"**","untagged":false},
 *  "disabled":false}
 * }</pre>
 *
 * @param template a {@link RetentionTemplate} id, e.g. {@code latestPushedK}
 * @param params the template's parameter ({@code {}} or absent for {@code always})
 * @param repositories which repositories of the project the rule applies to
 * @param tags which artifacts of those repositories the rule considers
 * @param disabled a disabled rule is kept in the policy but neither selects nor retains anything
 */
public record RetentionRule(String template, RetentionParams params, RepositorySelector repositories,
        TagSelector tags, boolean disabled) {

    /** An enabled rule. */
    public static RetentionRule of(RetentionTemplate template, RetentionParams params,
            RepositorySelector repositories, TagSelector tags) {
        return new RetentionRule(template.id(), params, repositories, tags, false);
    }

    /** This rule, disabled. */
    public RetentionRule asDisabled() {
        return new RetentionRule(template, params, repositories, tags, true);
    }
}
