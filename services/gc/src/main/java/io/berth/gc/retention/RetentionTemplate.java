package io.berth.gc.retention;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a retention rule keeps, by the template names Harbor's API uses, so that people who know
 * Harbor's policies recognise berth's. Each template takes at most one parameter.
 */
public enum RetentionTemplate {
    /** The {@code count} most recently pushed artifacts the rule selects, per repository. */
    LATEST_PUSHED_K("latestPushedK", "count"),
    /** The {@code count} most recently pulled artifacts the rule selects, per repository. */
    LATEST_PULLED_N("latestPulledN", "count"),
    /** The artifacts the rule selects that were pushed within the last {@code days} days. */
    N_DAYS_SINCE_LAST_PUSH("nDaysSinceLastPush", "days"),
    /** The artifacts the rule selects that were pulled within the last {@code days} days. */
    N_DAYS_SINCE_LAST_PULL("nDaysSinceLastPull", "days"),
    /** Every artifact the rule selects. */
    ALWAYS("always", null);

    private final String id;
    private final String parameter;

    RetentionTemplate(String id, String parameter) {
        this.id = id;
        this.parameter = parameter;
    }

    /** The name on the wire, e.g. {@code latestPushedK}. */
    public String id() {
        return id;
    }

    /** The parameter the template needs ({@code count} or {@code days}), or null for {@code always}. */
    public String parameter() {
        return parameter;
    }

    /** The template called {@code id} on the wire, if there is one (case-sensitive, as Harbor's). */
    public static Optional<RetentionTemplate> byId(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
    }

    /** The wire names, for messages: {@code latestPushedK, latestPulledN, ...}. */
    public static String ids() {
        return Arrays.stream(values()).map(RetentionTemplate::id).collect(Collectors.joining(", "));
    }
}
