package io.berth.auth.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.security.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenReuseTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final List<Scope> PULL = List.of(new Scope("repository", "p/app", Set.of("pull")));
    private static final List<Scope> PUSH = List.of(new Scope("repository", "p/app", Set.of("pull", "push")));

    private static TokenReuse.Signed signed(String token, Instant at) {
        return new TokenReuse.Signed(token, at, at.plus(Duration.ofMinutes(5)));
    }

    @Test
    void aTokenIsFoundOnlyWithinTheWindowAndUnderExactlyItsKey() {
        var reuse = new TokenReuse(Duration.ofSeconds(30), 100);
        var key = new TokenReuse.Key("robot$p+ci", "kid-1", PULL);
        reuse.remember(key, signed("t1", T0), T0);

        assertEquals("t1", reuse.find(new TokenReuse.Key("robot$p+ci", "kid-1", List.copyOf(PULL)), T0.plusSeconds(29))
                .orElseThrow().token());
        assertTrue(reuse.find(key, T0.plusSeconds(30)).isEmpty(), "at the end of the window");
        assertTrue(reuse.find(key, T0.minusSeconds(1)).isEmpty(), "a clock that went back");
        assertTrue(reuse.find(new TokenReuse.Key("robot$p+ci", "kid-1", PUSH), T0).isEmpty(), "other grants");
        assertTrue(reuse.find(new TokenReuse.Key("robot$p+ci", "kid-2", PULL), T0).isEmpty(), "another key");
        assertTrue(reuse.find(new TokenReuse.Key("robot$p+other", "kid-1", PULL), T0).isEmpty(), "another subject");
    }

    @Test
    void aZeroWindowRemembersNothing() {
        var reuse = new TokenReuse(Duration.ZERO, 100);
        var key = new TokenReuse.Key("s", "k", PULL);
        reuse.remember(key, signed("t", T0), T0);
        assertTrue(reuse.find(key, T0).isEmpty());
        assertEquals(0, reuse.size());
        assertThrows(IllegalArgumentException.class, () -> new TokenReuse(Duration.ofSeconds(-1), 1));
    }

    @Test
    void theBoundDropsOldTokensFirstThenEverything() {
        var reuse = new TokenReuse(Duration.ofSeconds(30), 2);
        reuse.remember(new TokenReuse.Key("a", "k", PULL), signed("a", T0), T0);
        reuse.remember(new TokenReuse.Key("b", "k", PULL), signed("b", T0.plusSeconds(20)), T0.plusSeconds(20));
        // At T0+40 a has left the window and makes room; b stays.
        reuse.remember(new TokenReuse.Key("c", "k", PULL), signed("c", T0.plusSeconds(40)), T0.plusSeconds(40));
        assertEquals(2, reuse.size());
        assertEquals("b", reuse.find(new TokenReuse.Key("b", "k", PULL), T0.plusSeconds(40)).orElseThrow().token());
        // Nothing has expired now: everything goes, then the new one is kept.
        reuse.remember(new TokenReuse.Key("d", "k", PULL), signed("d", T0.plusSeconds(41)), T0.plusSeconds(41));
        assertEquals(1, reuse.size());
    }
}
