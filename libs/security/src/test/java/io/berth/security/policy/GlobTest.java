package io.berth.security.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void aSingleStarStaysWithinOneSegment() {
        Glob g = Glob.compile("app/*");
        assertTrue(g.matches("app/api"));
        assertTrue(g.matches("app/"));
        assertFalse(g.matches("app/api/v2"));
        assertFalse(g.matches("app"));
        assertFalse(g.matches("other/api"));
        assertTrue(Glob.compile("*").matches("frontend"));
        assertFalse(Glob.compile("*").matches("team/frontend"));
    }

    @Test
    void aDoubleStarCrossesSegments() {
        assertTrue(Glob.compile("**").matches("a/b/c"));
        assertTrue(Glob.compile("**").matches(""));
        assertTrue(Glob.compile("app/**").matches("app/x/y"));
        // As ImmutableTagRule always had it (ADR 0021): the '/' after a literal prefix is needed.
        assertFalse(Glob.compile("app/**").matches("app"));
        assertTrue(Glob.compile("**/api").matches("team/app/api"));
        assertFalse(Glob.compile("**/api").matches("team/app/web"));
    }

    @Test
    void questionMarkIsOneCharacterButNotASlash() {
        Glob g = Glob.compile("v?.0");
        assertTrue(g.matches("v1.0"));
        assertFalse(g.matches("v10.0"));
        assertFalse(g.matches("v.0"));
        assertFalse(Glob.compile("a?b").matches("a/b"));
    }

    @Test
    void bracesAreAlternatives() {
        Glob g = Glob.compile("{api,web}-{dev,prod}");
        assertTrue(g.matches("api-dev"));
        assertTrue(g.matches("web-prod"));
        assertFalse(g.matches("db-dev"));
        assertFalse(g.matches("api-"));
        // A comma outside braces is itself.
        assertTrue(Glob.compile("a,b").matches("a,b"));
        assertFalse(Glob.compile("a,b").matches("a"));
    }

    @Test
    void everythingElseIsLiteral() {
        assertTrue(Glob.compile("1.0").matches("1.0"));
        assertFalse(Glob.compile("1.0").matches("1x0"));
        assertFalse(Glob.compile("1.0").matches("1.00"));
        assertTrue(Glob.compile("v1.*").matches("v1.2-rc_1"));
        assertFalse(Glob.compile("latest").matches("Latest"));
        assertFalse(Glob.compile("latest").matches(null));
    }

    @Test
    void malformedGlobsAreRefusedWithTheirName() {
        for (String bad : new String[] {"", "a{b", "a}b", "{a,{b}}", "spaces here", "a".repeat(256), "(x)", "[ab]",
                "a|b", "^a$", "a+"}) {
            assertThrows(IllegalArgumentException.class, () -> Glob.compile(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Glob.compile(null));
        var e = assertThrows(IllegalArgumentException.class, () -> Glob.compile("tags.pattern", "a b"));
        assertEquals("tags.pattern is a glob of up to 255 letters, digits and . _ - / * ? { } ,", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Glob.validate("x", "{a,b"));
        assertEquals("a '{' without its '}' in a rule's glob: {a,b", e.getMessage());
        Glob.validate("x", "a".repeat(255));
    }

    @Test
    void theShortcutsForCommonPatternsMatchAsTheRegularExpressionWould() {
        String[] patterns = {"**", "*", "v*", "v**", "app/**", "app/*", "release-1.0", "a,b*", "***", "v*.*",
            "{a,b}*", "?*", "**/x", "x**"};
        String[] values = {"", "v", "v1", "v1.0", "v1/x", "app", "app/", "app/x", "app/x/y", "release-1.0",
            "release-1x0", "a,b", "a,bc", "a", "bq", "x", "q/x", "x/q/r"};
        for (String p : patterns) {
            java.util.regex.Pattern reference = java.util.regex.Pattern.compile(reference(p));
            for (String v : values) {
                assertEquals(reference.matcher(v).matches(), Glob.compile(p).matches(v), p + " against " + v);
            }
        }
    }

    /** The glob language by its definition, written independently of Glob. */
    private static String reference(String glob) {
        return glob.replace(".", "\\.").replace("**", "\u0000").replace("*", "[^/]*").replace("\u0000", ".*")
                .replace("?", "[^/]").replace("{", "(?:").replace("}", ")")
                .replaceAll(",(?=[^(]*\\))", "|");
    }

    @Test
    void globsAreValuesOfTheirPattern() {
        assertEquals(Glob.compile("v*"), Glob.compile("v*"));
        assertEquals(Glob.compile("v*").hashCode(), Glob.compile("v*").hashCode());
        assertNotEquals(Glob.compile("v*"), Glob.compile("v?"));
        assertEquals("v*", Glob.compile("v*").pattern());
        assertEquals("v*", Glob.compile("v*").toString());
    }
}
