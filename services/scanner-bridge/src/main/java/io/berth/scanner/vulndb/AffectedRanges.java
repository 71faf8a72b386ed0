package io.berth.scanner.vulndb;

import io.berth.scanner.version.VersionScheme;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a version is affected by one {@code affected[]} entry, exactly as the OSV schema's
 * "Evaluation" section (ossf/osv-schema docs/schema.md) defines it:
 *
 * <pre>
 * affected = v in versions[]  or  some range r with BeforeLimits(v, r) and, over r.events sorted
 *            by the range's version order:  introduced &amp;&amp; v &gt;= e   → vulnerable
 *                                           fixed &amp;&amp; v &gt;= e        → not vulnerable
 *                                           last_affected &amp;&amp; v &gt; e → not vulnerable
 * BeforeLimits(v, r) = r has no limit events, or v &lt; some limit
 * </pre>
 *
 * {@code introduced: "0"} sorts before every version and {@code limit: "*"} after every version.
 * {@code SEMVER} ranges are ordered by SemVer 2.0, {@code ECOSYSTEM} ranges by the package's
 * ecosystem; {@code GIT} ranges need a repository's history and are ignored (the schema requires
 * such records to list {@code versions} too). Events with equal versions keep the record's order
 * (the sort is stable). When no scheme is known for a range it cannot be evaluated and does not
 * match; {@code versions} still does.
 *
 * <p>For an affected version the fixed versions are the {@code fixed} events that end the
 * affected stretch it lies in: what the package must be upgraded to.
 */
public final class AffectedRanges {

    /** The answer: affected or not, and the versions that fix it (empty when none is known). */
    public record Verdict(boolean affected, List<String> fixed) {
        static final Verdict NOT_AFFECTED = new Verdict(false, List.of());
    }

    private AffectedRanges() {}

    /**
     * @param ecosystem the ecosystem's version order for ECOSYSTEM ranges, or null if unknown
     * @param semver SemVer 2.0 order for SEMVER ranges, or null if unknown
     */
    public static Verdict evaluate(OsvAffected affected, String version, VersionScheme ecosystem, VersionScheme semver) {
        boolean listed = affected.versions().contains(version);
        boolean inRange = false;
        Set<String> fixed = new LinkedHashSet<>();
        for (OsvRange range : affected.ranges()) {
            VersionScheme order = switch (range.type()) {
                case OsvRange.SEMVER -> semver;
                case OsvRange.ECOSYSTEM -> ecosystem;
                default -> null; // GIT, and types a newer schema may add
            };
            if (order == null) {
                continue;
            }
            String fix = affectedBy(range, version, order);
            if (fix != null) {
                inRange = true;
                if (!fix.isEmpty()) {
                    fixed.add(fix);
                }
            }
        }
        return listed || inRange ? new Verdict(true, List.copyOf(fixed)) : Verdict.NOT_AFFECTED;
    }

    /**
     * Null if {@code v} is not in {@code range}; else the version of the {@code fixed} event that
     * ends its affected stretch, or "" when no fix follows (open, or closed by last_affected).
     */
    static String affectedBy(OsvRange range, String v, VersionScheme order) {
        if (!beforeLimits(range, v, order)) {
            return null;
        }
        List<OsvRange.Event> events = new ArrayList<>(range.events());
        events.sort(eventOrder(order));
        boolean vulnerable = false;
        int openedAt = -1;
        for (int k = 0; k < events.size(); k++) {
            OsvRange.Event e = events.get(k);
            switch (e.kind()) {
                case INTRODUCED -> {
                    if (isZero(e) || order.compare(v, e.version()) >= 0) {
                        vulnerable = true;
                        openedAt = k;
                    }
                }
                case FIXED -> {
                    if (order.compare(v, e.version()) >= 0) {
                        vulnerable = false;
                    }
                }
                case LAST_AFFECTED -> {
                    if (order.compare(v, e.version()) > 0) {
                        vulnerable = false;
                    }
                }
                case LIMIT -> { }
            }
        }
        if (!vulnerable) {
            return null;
        }
        for (int k = openedAt + 1; k < events.size(); k++) {
            OsvRange.Event e = events.get(k);
            if (e.kind() == OsvRange.Kind.FIXED) {
                return e.version();
            }
            if (e.kind() == OsvRange.Kind.INTRODUCED || e.kind() == OsvRange.Kind.LAST_AFFECTED) {
                break;
            }
        }
        return "";
    }

    private static boolean beforeLimits(OsvRange range, String v, VersionScheme order) {
        boolean any = false;
        for (OsvRange.Event e : range.events()) {
            if (e.kind() == OsvRange.Kind.LIMIT) {
                any = true;
                if (isInfinity(e) || order.compare(v, e.version()) < 0) {
                    return true;
                }
            }
        }
        return !any;
    }

    /** Versions in the scheme's order, "0" (introduced) first and "*" (limit) last. */
    private static Comparator<OsvRange.Event> eventOrder(VersionScheme order) {
        return (a, b) -> {
            int ra = rank(a);
            int rb = rank(b);
            if (ra != 0 || rb != 0) {
                return Integer.compare(ra, rb);
            }
            return order.compare(a.version(), b.version());
        };
    }

    private static int rank(OsvRange.Event e) {
        return isZero(e) ? -1 : isInfinity(e) ? 1 : 0;
    }

    private static boolean isZero(OsvRange.Event e) {
        return e.kind() == OsvRange.Kind.INTRODUCED && "0".equals(e.version());
    }

    private static boolean isInfinity(OsvRange.Event e) {
        return e.kind() == OsvRange.Kind.LIMIT && e.version().contains("*");
    }
}
