package io.berth.scanner.vulndb;

import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.version.VersionScheme;
import org.apache.maven.artifact.versioning.ComparableVersion;
import org.semver4j.Semver;

/**
 * Small version orders for this package's tests only: the real ones (io.berth.scanner.version,
 * VersionSchemes.of) are written and tested on another branch of #22. Maven by maven-artifact's
 * ComparableVersion, SemVer by semver4j, dpkg by Debian Policy 5.6.12's algorithm, apk roughly
 * (dot/underscore segments, then the -rN revision): enough for the records under test.
 */
public final class TestSchemes {

    private TestSchemes() {}

    public static VersionScheme of(Ecosystem.Scheme scheme) {
        return switch (scheme) {
            case MAVEN -> scheme(scheme, (a, b) -> new ComparableVersion(a).compareTo(new ComparableVersion(b)));
            case SEMVER, GO -> scheme(scheme, TestSchemes::semver);
            // Close enough to PEP 440 for plain release numbers.
            case PEP440 -> scheme(scheme, (a, b) -> new ComparableVersion(a).compareTo(new ComparableVersion(b)));
            case DPKG -> scheme(scheme, TestSchemes::dpkg);
            case APK -> scheme(scheme, TestSchemes::apk);
            default -> throw new IllegalArgumentException("no test scheme for " + scheme);
        };
    }

    private static VersionScheme scheme(Ecosystem.Scheme scheme, java.util.Comparator<String> order) {
        return new VersionScheme() {
            @Override
            public Ecosystem.Scheme scheme() {
                return scheme;
            }

            @Override
            public boolean isValid(String version) {
                return true;
            }

            @Override
            public int compare(String a, String b) {
                return order.compare(a, b);
            }
        };
    }

    private static int semver(String a, String b) {
        Semver x = Semver.parse(a);
        Semver y = Semver.parse(b);
        return x != null && y != null ? x.compareTo(y) : a.compareTo(b);
    }

    static int dpkg(String a, String b) {
        int ca = a.indexOf(':');
        int cb = b.indexOf(':');
        long ea = ca < 0 ? 0 : Long.parseLong(a.substring(0, ca));
        long eb = cb < 0 ? 0 : Long.parseLong(b.substring(0, cb));
        if (ea != eb) {
            return Long.compare(ea, eb);
        }
        String ra = a.substring(ca + 1);
        String rb = b.substring(cb + 1);
        int da = ra.lastIndexOf('-');
        int db = rb.lastIndexOf('-');
        int c = verrevcmp(da < 0 ? ra : ra.substring(0, da), db < 0 ? rb : rb.substring(0, db));
        return c != 0 ? c : verrevcmp(da < 0 ? "" : ra.substring(da + 1), db < 0 ? "" : rb.substring(db + 1));
    }

    private static int order(String s, int i) {
        if (i >= s.length()) {
            return 0;
        }
        char c = s.charAt(i);
        if (Character.isDigit(c)) {
            return 0;
        }
        if (Character.isLetter(c)) {
            return c;
        }
        return c == '~' ? -1 : c + 256;
    }

    private static int verrevcmp(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            while ((i < a.length() && !Character.isDigit(a.charAt(i))) || (j < b.length() && !Character.isDigit(b.charAt(j)))) {
                int ac = order(a, i);
                int bc = order(b, j);
                if (ac != bc) {
                    return ac - bc;
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            int first = 0;
            while (i < a.length() && Character.isDigit(a.charAt(i)) && j < b.length() && Character.isDigit(b.charAt(j))) {
                if (first == 0) {
                    first = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (i < a.length() && Character.isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && Character.isDigit(b.charAt(j))) {
                return -1;
            }
            if (first != 0) {
                return first;
            }
        }
        return 0;
    }

    private static int apk(String a, String b) {
        String[] x = a.split("-r", 2);
        String[] y = b.split("-r", 2);
        String[] sx = x[0].split("[._]");
        String[] sy = y[0].split("[._]");
        for (int k = 0; k < Math.max(sx.length, sy.length); k++) {
            String p = k < sx.length ? sx[k] : "";
            String q = k < sy.length ? sy[k] : "";
            int c = p.matches("[0-9]+") && q.matches("[0-9]+") ? Long.compare(Long.parseLong(p), Long.parseLong(q))
                    : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return Long.compare(x.length > 1 ? Long.parseLong(x[1]) : 0, y.length > 1 ? Long.parseLong(y[1]) : 0);
    }
}
