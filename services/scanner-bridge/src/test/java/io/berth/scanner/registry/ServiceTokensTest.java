package io.berth.scanner.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.scanner.support.TestAuth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link ServiceTokens} against the stand-in for auth's token service ({@link TestAuth}). */
class ServiceTokensTest {

    private static final TestAuth AUTH = new TestAuth();
    private static String authUrl;

    private Instant now = Instant.parse("2026-12-04T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @BeforeAll
    static void start() {
        authUrl = AUTH.start().get("berth.scanner.auth.url");
    }

    @AfterAll
    static void stop() {
        AUTH.stop();
    }

    @AfterEach
    void reset() {
        TestAuth.tokenServiceDown(false);
        TestAuth.serviceTokenLifetime(300);
    }

    private ServiceTokens tokens(String secret) {
        return new ServiceTokens(config(secret), authUrl, Duration.ofSeconds(5), new ObjectMapper(), clock);
    }

    private static ServiceAccountConfig config(String secret) {
        return new ServiceAccountConfig() {
            @Override
            public String name() {
                return "scanner-bridge";
            }

            @Override
            public Optional<String> secret() {
                return Optional.ofNullable(secret);
            }

            @Override
            public Duration refreshBefore() {
                return Duration.ofSeconds(30);
            }
        };
    }

    @Test
    void aTokenIsCachedPerRepositoryAndActionsUntilShortlyBeforeItExpires() {
        ServiceTokens tokens = tokens(TestAuth.SERVICE_SECRET);
        int before = TestAuth.serviceTokensIssued();
        String first = tokens.bearer("team/app", Set.of("pull", "push"));
        assertTrue(first.startsWith("svc-"), first);
        assertEquals(first, tokens.bearer("team/app", Set.of("push", "pull")), "the order of actions does not matter");
        assertEquals(before + 1, TestAuth.serviceTokensIssued());

        String other = tokens.bearer("team/other", Set.of("pull", "push"));
        String pullOnly = tokens.bearer("team/app", Set.of("pull"));
        assertNotEquals(first, other);
        assertNotEquals(first, pullOnly);
        assertEquals(before + 3, TestAuth.serviceTokensIssued());

        now = now.plusSeconds(269);
        assertEquals(first, tokens.bearer("team/app", Set.of("pull", "push")), "still 31 s left");
        now = now.plusSeconds(1);
        String renewed = tokens.bearer("team/app", Set.of("pull", "push"));
        assertNotEquals(first, renewed, "30 s before its end a token is renewed");
        assertEquals(before + 4, TestAuth.serviceTokensIssued());
    }

    @Test
    void aShortLivedTokenIsUsedForHalfItsLife() {
        TestAuth.serviceTokenLifetime(40);
        ServiceTokens tokens = tokens(TestAuth.SERVICE_SECRET);
        String first = tokens.bearer("team/short", Set.of("pull"));
        now = now.plusSeconds(19);
        assertEquals(first, tokens.bearer("team/short", Set.of("pull")));
        now = now.plusSeconds(1);
        assertNotEquals(first, tokens.bearer("team/short", Set.of("pull")));
    }

    @Test
    void eachFailureSaysWhatIsWrong() {
        var unset = assertThrows(ServiceTokenException.class, () -> tokens(null).bearer("team/app", Set.of("pull")));
        assertEquals(ServiceTokenException.Reason.NOT_CONFIGURED, unset.reason());
        assertTrue(unset.getMessage().contains("berth.scanner.service.secret"), unset.getMessage());
        assertTrue(tokens(" ").missing().isPresent(), "a blank secret is no secret");
        assertTrue(tokens(TestAuth.SERVICE_SECRET).missing().isEmpty());

        var wrong = assertThrows(ServiceTokenException.class, () -> tokens("wrong").bearer("team/app", Set.of("pull")));
        assertEquals(ServiceTokenException.Reason.REFUSED, wrong.reason());
        assertTrue(wrong.getMessage().contains("service$scanner-bridge"), wrong.getMessage());
        assertTrue(!wrong.getMessage().contains("wrong"), "the message never carries the secret");

        TestAuth.tokenServiceDown(true);
        var down = assertThrows(ServiceTokenException.class,
                () -> tokens(TestAuth.SERVICE_SECRET).bearer("team/app", Set.of("pull")));
        assertEquals(ServiceTokenException.Reason.UNAVAILABLE, down.reason());

        ServiceTokens nowhere = new ServiceTokens(config(TestAuth.SERVICE_SECRET), "http://127.0.0.1:1",
                Duration.ofSeconds(2), new ObjectMapper(), clock);
        assertEquals(ServiceTokenException.Reason.UNAVAILABLE,
                assertThrows(ServiceTokenException.class, () -> nowhere.bearer("team/app", Set.of("pull"))).reason());
    }

    @Test
    void aGrantSmallerThanAskedIsRefusedHere() {
        assertEquals(Set.of("pull", "push"), ServiceTokens.granted("repository:a/b:pull,push repository:a/c:delete", "a/b"));
        assertEquals(Set.of(), ServiceTokens.granted("repository:a/bc:pull", "a/b"));
        assertEquals(Set.of(), ServiceTokens.granted("", "a/b"));
    }
}
