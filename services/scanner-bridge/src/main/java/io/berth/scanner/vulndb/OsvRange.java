package io.berth.scanner.vulndb;

import java.util.List;

/**
 * One {@code affected[].ranges[]} entry of an OSV record: its type ({@code SEMVER},
 * {@code ECOSYSTEM} or {@code GIT}) and its events in the record's order.
 */
public record OsvRange(String type, List<Event> events) {

    public static final String SEMVER = "SEMVER";
    public static final String ECOSYSTEM = "ECOSYSTEM";
    public static final String GIT = "GIT";

    /** The four kinds of OSV range events. */
    public enum Kind {
        INTRODUCED("introduced"), FIXED("fixed"), LAST_AFFECTED("last_affected"), LIMIT("limit");

        private final String field;

        Kind(String field) {
            this.field = field;
        }

        /** The event's JSON field name. */
        public String field() {
            return field;
        }

        static Kind ofField(String field) {
            for (Kind k : values()) {
                if (k.field.equals(field)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** One event: exactly one kind and its version. */
    public record Event(Kind kind, String version) {}

    public OsvRange {
        events = List.copyOf(events);
    }
}
