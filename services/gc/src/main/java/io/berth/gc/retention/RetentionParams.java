package io.berth.gc.retention;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The parameter of a rule: {@code count} for {@code latestPushedK} and {@code latestPulledN},
 * {@code days} for {@code nDaysSinceLastPush} and {@code nDaysSinceLastPull}, neither for
 * {@code always}. Harbor keys the number by the template's name ({@code {"latestPushedK": 3}});
 * berth names what the number is. Checked by {@link RetentionPolicy}, not here.
 *
 * @param count how many artifacts per repository, or null
 * @param days how many days back, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetentionParams(Integer count, Integer days) {

    /** No parameter, for {@code always}. */
    public static final RetentionParams NONE = new RetentionParams(null, null);

    /** {@code {"count": n}}. */
    public static RetentionParams count(int count) {
        return new RetentionParams(count, null);
    }

    /** {@code {"days": n}}. */
    public static RetentionParams days(int days) {
        return new RetentionParams(null, days);
    }
}
