package io.berth.security.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of a vulnerability allowlist (a project's, in {@link VulnerabilityPolicy}, or the
 * system's): a vulnerability id that does not stop a pull until {@code expiresAt}. Each entry
 * has its own expiry, unlike Harbor's one date for a whole list, so an exception granted for a
 * month does not drag the permanent ones with it.
 *
 * <p>JSON: {@code {"id": "CVE-2024-3094", "expiresAt": "2026-06-30T00:00:00Z"}}, where
 * {@code expiresAt} is an ISO-8601 instant or date-time with offset, or a date alone
 * ({@code "2026-06-30"}: the entry holds through that day, UTC), or null or absent for never.
 * A plain string {@code "CVE-2024-3094"} is read as an entry that never expires: the shape of
 * allowlists stored before entries had an expiry. Written, an entry is always the object.
 *
 * <p>Ids are compared ignoring case ({@code cve-2024-3094} names {@code CVE-2024-3094}).
 *
 * @param id a vulnerability id: CVE-..., GHSA-..., an OSV id; validated by {@link #problems}
 * @param expiresAt from when the entry no longer counts; null for never
 */
public record AllowlistEntry(String id, Instant expiresAt) {

    /** The most entries an allowlist holds. */
    public static final int MAX_ENTRIES = 1000;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{2,63}");

    /** An entry that never expires. */
    public static AllowlistEntry of(String id) {
        return new AllowlistEntry(id, null);
    }

    /** The old shape: a plain id, never expiring. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static AllowlistEntry fromString(String id) {
        return of(id);
    }

    /** The object shape; {@code expiresAt} as the class comment says. */
    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static AllowlistEntry fromJson(@JsonProperty("id") String id, @JsonProperty("expiresAt") String expiresAt) {
        return new AllowlistEntry(id, parseExpiry(id, expiresAt));
    }

    /** Whether the entry still counts at {@code now}. */
    public boolean activeAt(Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }

    @JsonValue
    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
        return json;
    }

    /**
     * What is wrong with {@code entries} as an allowlist, one reason per problem (empty if
     * nothing): a missing entry or id, an id that is not a vulnerability id, an id listed twice,
     * more than {@value #MAX_ENTRIES} entries.
     *
     * @param what how the reasons name the list, e.g. {@code "the allowlist"}
     */
    public static List<String> problems(List<AllowlistEntry> entries, String what) {
        List<String> problems = new ArrayList<>();
        if (entries.size() > MAX_ENTRIES) {
            problems.add(what + " holds at most " + MAX_ENTRIES + " ids, not " + entries.size());
            return problems;
        }
        Set<String> seen = new HashSet<>();
        for (AllowlistEntry e : entries) {
            if (e == null || e.id() == null) {
                problems.add(what + " has an entry without an id: give \"CVE-...\" or {\"id\": \"CVE-...\", \"expiresAt\": ...}");
            } else if (!ID.matcher(e.id()).matches()) {
                problems.add("'" + e.id() + "' in " + what + " is not a vulnerability id such as CVE-2024-3094");
            } else if (!seen.add(e.id().toUpperCase(Locale.ROOT))) {
                problems.add(e.id() + " is listed twice in " + what);
            }
        }
        return problems;
    }

    /**
     * Ids of {@code entries} that count at {@code now}, upper-cased, added to {@code into}.
     */
    static void addActive(List<AllowlistEntry> entries, Instant now, Set<String> into) {
        for (AllowlistEntry e : entries) {
            if (e.activeAt(now)) {
                into.add(e.id().toUpperCase(Locale.ROOT));
            }
        }
    }

    private static Instant parseExpiry(String id, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            if (text.length() == 10) {
                // A date alone: the entry holds through that day.
                return LocalDate.parse(text).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the expiresAt of " + id + ", '" + text
                    + "', is not an ISO-8601 date-time such as 2026-06-30T00:00:00Z or a date such as 2026-06-30");
        }
    }
}
