package io.berth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChallengeTest {

    @Test
    void aBearerChallengeWithAScopeOfSeveralActions() {
        Challenge c = Challenge.parse("Bearer realm=\"https://auth.example.com/service/token\",service=\"berth\","
                + "scope=\"repository:team/app:pull,push\"");
        assertTrue(c.isBearer());
        assertEquals("https://auth.example.com/service/token", c.realm());
        assertEquals("berth", c.params().get("service"));
        assertEquals("repository:team/app:pull,push", c.params().get("scope"));
    }

    @Test
    void schemeAndNamesAreCaseInsensitiveAndSpacesAfterCommasAreAllowed() {
        Challenge c = Challenge.parse("bearer Realm=\"http://127.0.0.1:8082/service/token\", Service=\"x\"");
        assertTrue(c.isBearer());
        assertEquals("http://127.0.0.1:8082/service/token", c.realm());
        assertEquals("x", c.params().get("service"));
    }

    @Test
    void basicWithAnUnquotedRealmAndAnEscapedQuote() {
        Challenge c = Challenge.parse("Basic realm=registry");
        assertTrue(c.isBasic());
        assertFalse(c.isBearer());
        assertEquals("registry", c.realm());
        assertEquals("a \"b\"", Challenge.parse("Basic realm=\"a \\\"b\\\"\"").realm());
    }

    @Test
    void noHeaderIsNoChallenge() {
        assertNull(Challenge.parse(null));
        assertNull(Challenge.parse("  "));
        assertNull(Challenge.parse("Bearer").realm());
    }
}
