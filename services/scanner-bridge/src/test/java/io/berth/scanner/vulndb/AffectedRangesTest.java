package io.berth.scanner.vulndb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.version.VersionScheme;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OSV's evaluation algorithm (schema "Evaluation"): every event kind, in several ecosystems' orders. */
class AffectedRangesTest {

    private static final VersionScheme MAVEN = io.berth.scanner.version.VersionSchemes.of(Ecosystem.Scheme.MAVEN);
    private static final VersionScheme DPKG = io.berth.scanner.version.VersionSchemes.of(Ecosystem.Scheme.DPKG);
    private static final VersionScheme APK = io.berth.scanner.version.VersionSchemes.of(Ecosystem.Scheme.APK);
    private static final VersionScheme SEMVER = io.berth.scanner.version.VersionSchemes.of(Ecosystem.Scheme.SEMVER);

    /** {@code events} as "introduced:0", "fixed:1.2", ... */
    private static OsvAffected affected(String type, List<String> versions, String... events) {
        List<OsvRange.Event> list = new ArrayList<>();
        for (String e : events) {
            String[] kv = e.split(":", 2);
            list.add(new OsvRange.Event(OsvRange.Kind.valueOf(kv[0].toUpperCase()), kv[1]));
        }
        return new OsvAffected("x", "", "p", null, List.of(new OsvRange(type, list)), versions, null);
    }

    private static OsvAffected ecosystem(String... events) {
        return affected(OsvRange.ECOSYSTEM, List.of(), events);
    }

    private static AffectedRanges.Verdict eval(OsvAffected a, String v, VersionScheme order) {
        return AffectedRanges.evaluate(a, v, order, SEMVER);
    }

    @Test
    void introducedAndFixedBoundTheRangeHalfOpen() {
        OsvAffected log4shell = ecosystem("introduced:2.13.0", "fixed:2.15.0");
        assertEquals(List.of("2.15.0"), eval(log4shell, "2.14.1", MAVEN).fixed());
        assertTrue(eval(log4shell, "2.13.0", MAVEN).affected(), "introduced is affected");
        assertFalse(eval(log4shell, "2.15.0", MAVEN).affected(), "fixed is not");
        assertFalse(eval(log4shell, "2.12.4", MAVEN).affected());
        assertTrue(eval(log4shell, "2.15.0-rc1", MAVEN).affected(), "a pre-release of the fix sorts before it in Maven");
    }

    @Test
    void introducedZeroIsBeforeEverythingWhereverItIsListed() {
        OsvAffected unsorted = ecosystem("fixed:2.3.1", "introduced:0");
        assertTrue(eval(unsorted, "2.0-beta9", MAVEN).affected());
        assertTrue(eval(unsorted, "1.0-alpha", MAVEN).affected());
        assertEquals(List.of("2.3.1"), eval(unsorted, "2.0", MAVEN).fixed());
        assertFalse(eval(unsorted, "2.3.1", MAVEN).affected());
        // Open: every version, and no fix to name.
        OsvAffected open = ecosystem("introduced:0");
        assertTrue(eval(open, "1:1.2.13.dfsg-1", DPKG).affected());
        assertEquals(List.of(), eval(open, "1:1.2.13.dfsg-1", DPKG).fixed());
    }

    @Test
    void severalStretchesInOneRangeEachNameTheirFix() {
        OsvAffected two = ecosystem("introduced:3.0.0", "fixed:3.2.5", "introduced:1.0.0", "fixed:1.0.2");
        assertEquals(List.of("1.0.2"), eval(two, "1.0.1", MAVEN).fixed());
        assertEquals(List.of("3.2.5"), eval(two, "3.2.4", MAVEN).fixed());
        assertFalse(eval(two, "2.0.0", MAVEN).affected());
        assertFalse(eval(two, "0.9", MAVEN).affected());
        assertFalse(eval(two, "4.0", MAVEN).affected());
    }

    @Test
    void lastAffectedIsIncludedAndNamesNoFix() {
        OsvAffected h2 = ecosystem("introduced:0", "last_affected:2.1.214");
        assertTrue(eval(h2, "2.1.214", MAVEN).affected());
        assertEquals(List.of(), eval(h2, "2.1.214", MAVEN).fixed());
        assertFalse(eval(h2, "2.1.215", MAVEN).affected());
        assertTrue(eval(h2, "1.4.200", MAVEN).affected());
    }

    @Test
    void limitsBoundTheRangeAndStarIsInfinity() {
        OsvAffected limited = ecosystem("introduced:1.0", "limit:2.0");
        assertTrue(eval(limited, "1.5", MAVEN).affected());
        assertFalse(eval(limited, "2.0", MAVEN).affected(), "v < limit is required");
        assertFalse(eval(limited, "3.0", MAVEN).affected());
        assertFalse(eval(limited, "0.9", MAVEN).affected());
        OsvAffected star = ecosystem("introduced:1.0", "limit:*");
        assertTrue(eval(star, "999", MAVEN).affected());
        OsvAffected two = ecosystem("introduced:1.0", "limit:2.0", "limit:4.0");
        assertTrue(eval(two, "3.0", MAVEN).affected(), "any one limit above v lets the range apply");
        assertFalse(eval(two, "4.0", MAVEN).affected());
    }

    @Test
    void equalVersionsKeepTheRecordsOrder() {
        assertFalse(eval(ecosystem("introduced:1.0", "fixed:1.0"), "1.0", MAVEN).affected(), "an empty stretch");
        assertTrue(eval(ecosystem("introduced:0", "fixed:1.0", "introduced:1.0"), "1.0", MAVEN).affected(),
                "fixed then re-introduced in the same version");
    }

    @Test
    void semverRangesUseSemVerOrderWhateverTheEcosystem() {
        OsvAffected npm = affected(OsvRange.SEMVER, List.of(), "introduced:1.0.0", "fixed:1.0.2");
        assertTrue(AffectedRanges.evaluate(npm, "1.0.1", null, SEMVER).affected());
        assertFalse(AffectedRanges.evaluate(npm, "1.0.0-rc.1", null, SEMVER).affected(), "a pre-release is before 1.0.0");
        assertTrue(AffectedRanges.evaluate(npm, "1.0.2-beta", null, SEMVER).affected(), "and before 1.0.2");
        assertFalse(AffectedRanges.evaluate(npm, "1.10.0", null, SEMVER).affected(), "numeric, not text, order");
    }

    @Test
    void dpkgOrderWithEpochsAndTildes() {
        OsvAffected openssl = ecosystem("introduced:0", "fixed:3.0.11-1");
        assertTrue(eval(openssl, "3.0.11-1~deb12u2", DPKG).affected(), "~ sorts before the release it precedes");
        assertFalse(eval(openssl, "3.0.11-1+deb12u1", DPKG).affected());
        OsvAffected zlib = ecosystem("introduced:0", "fixed:1:1.3.dfsg-2");
        assertTrue(eval(zlib, "1:1.2.13.dfsg-1", DPKG).affected());
        assertFalse(eval(zlib, "1:1.3.dfsg-2", DPKG).affected());
        assertTrue(eval(zlib, "1.9", DPKG).affected(), "epoch 0 is before epoch 1");
        OsvAffected minizip = ecosystem("introduced:0", "fixed:1.1-8+deb12u1");
        assertEquals(List.of("1.1-8+deb12u1"), eval(minizip, "1.1-8", DPKG).fixed());
    }

    @Test
    void apkOrderWithRevisions() {
        OsvAffected zlib = ecosystem("introduced:0", "fixed:1.2.12-r2");
        assertEquals(List.of("1.2.12-r2"), eval(zlib, "1.2.12-r1", APK).fixed());
        assertFalse(eval(zlib, "1.2.12-r2", APK).affected());
        assertFalse(eval(zlib, "1.2.13-r0", APK).affected());
        assertTrue(eval(zlib, "1.2.9-r3", APK).affected(), "9 before 12 numerically");
    }

    @Test
    void versionsListMatchesExactlyAndGitRangesAreIgnored() {
        OsvAffected git = affected(OsvRange.GIT, List.of("2.3.9-1", "2.3.9-1+deb12u1"), "introduced:abc", "fixed:def");
        assertTrue(eval(git, "2.3.9-1+deb12u1", DPKG).affected());
        assertFalse(eval(git, "abc", DPKG).affected(), "a commit is no version");
        assertFalse(eval(git, "2.3.9", DPKG).affected());
    }

    @Test
    void aRangeWithoutAKnownOrderDoesNotMatch() {
        OsvAffected a = ecosystem("introduced:0");
        assertFalse(AffectedRanges.evaluate(a, "1.0", null, SEMVER).affected());
    }

    @Test
    void severalRangesJoinTheirFixes() {
        OsvAffected a = new OsvAffected("Maven", "", "p", null, List.of(
                new OsvRange(OsvRange.ECOSYSTEM, List.of(new OsvRange.Event(OsvRange.Kind.INTRODUCED, "0"),
                        new OsvRange.Event(OsvRange.Kind.FIXED, "2.0"))),
                new OsvRange(OsvRange.ECOSYSTEM, List.of(new OsvRange.Event(OsvRange.Kind.INTRODUCED, "1.0"),
                        new OsvRange.Event(OsvRange.Kind.FIXED, "1.5")))), List.of(), null);
        assertEquals(List.of("2.0", "1.5"), eval(a, "1.2", MAVEN).fixed());
        assertEquals(List.of("2.0"), eval(a, "1.7", MAVEN).fixed());
    }
}
