package io.berth.security.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyTest {

    @Test
    void aSingleStarStaysWithinOnePathSegmentAndADoubleStarDoesNot() {
        var rule = new ImmutableTagRule("app/*", "v*");
        assertTrue(rule.matches("app/api", "v1.2"));
        assertFalse(rule.matches("app/api/v2", "v1.2"));
        assertFalse(rule.matches("app/api", "latest"));
        assertTrue(new ImmutableTagRule("**", "v*").matches("app/api/v2", "v1"));
        assertTrue(new ImmutableTagRule("app/**", "*").matches("app/x/y", "anything"));
    }

    @Test
    void questionMarksBracesAndLiteralDots() {
        var rule = new ImmutableTagRule("{api,web}", "release-?.{0,1}");
        assertTrue(rule.matches("api", "release-1.0"));
        assertTrue(rule.matches("web", "release-2.1"));
        assertFalse(rule.matches("db", "release-1.0"));
        assertFalse(rule.matches("api", "release-10.0"));
        // A dot is a dot, not any character.
        assertFalse(new ImmutableTagRule("**", "1.0").matches("api", "1x0"));
    }

    @Test
    void malformedGlobsAreRefused() {
        for (String bad : new String[] {"", "a{b", "a}b", "{a,{b}}", "spaces here", "a".repeat(256), "(x)", "[ab]"}) {
            assertThrows(IllegalArgumentException.class, () -> new ImmutableTagRule("**", bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new ImmutableTagRule(null, "v*"));
    }

    @Test
    void theFirstMatchingRuleIsTheOneNamed() {
        var rules = List.of(new ImmutableTagRule("app", "v*"), new ImmutableTagRule("**", "{v,release-}*"));
        assertEquals(rules.get(0), ImmutableTagRule.firstMatch(rules, "app", "v1").orElseThrow());
        assertEquals(rules.get(1), ImmutableTagRule.firstMatch(rules, "app/web", "v1").orElseThrow());
        assertTrue(ImmutableTagRule.firstMatch(rules, "app", "latest").isEmpty());
        assertEquals("repositories \"app\", tags \"v*\"", rules.get(0).describe());
    }
}
