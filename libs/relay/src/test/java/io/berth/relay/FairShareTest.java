package io.berth.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link FairShare}'s reckoning, one flow's bytes at a time, on the test's thread. */
class FairShareTest {

    private static final int SLACK = 1000;

    private final FairShare share = new FairShare(SLACK);
    private final AtomicInteger aWoken = new AtomicInteger();
    private final AtomicInteger bWoken = new AtomicInteger();
    private final FairShare.Flow a = share.join(aWoken::incrementAndGet);
    private final FairShare.Flow b = share.join(bWoken::incrementAndGet);

    @Test
    void aFlowMoreThanTheSlackAheadOfTheSlowestIsHeldUntilItCatchesUp() {
        assertTrue(share.sent(a, SLACK), "as far ahead as the slack allows");
        assertFalse(share.sent(a, 1), "one byte further is too far");
        assertFalse(share.mayRead(a));
        assertEquals(0, aWoken.get());

        assertTrue(share.sent(b, 1), "the slowest is never held");
        assertEquals(1, aWoken.get(), "the slowest caught up by a byte: the other is woken");
        assertTrue(share.mayRead(a));
        assertEquals(0, bWoken.get());
    }

    @Test
    void aHeldFlowIsWokenOnceAndOnlyWhenTheSlowestHasCaughtUpEnough() {
        share.sent(a, 3 * SLACK);
        share.sent(b, SLACK / 2);
        share.sent(b, SLACK / 2);
        assertEquals(0, aWoken.get(), "still more than the slack behind");
        share.sent(b, SLACK);
        assertEquals(1, aWoken.get());
        share.sent(b, SLACK);
        assertEquals(1, aWoken.get(), "a flow that is not held is not woken");
    }

    @Test
    void aLaterFlowStartsLevelWithTheOthersNotBehindThem() {
        share.sent(a, 10 * SLACK);
        share.sent(b, 10 * SLACK);
        FairShare.Flow c = share.join(() -> { });
        assertTrue(share.sent(c, SLACK), "it starts where the slowest is, not at zero");
        assertTrue(share.sent(a, SLACK), "the others are not held for the newcomer's first bytes");
        assertFalse(share.sent(a, 1));
    }

    @Test
    void aFlowWaitingForItsClientHoldsNobodyBackAndRejoinsLevel() {
        share.blocked(b, true);
        assertTrue(share.sent(a, 5 * SLACK), "b is not reckoned while its client is full");
        share.blocked(b, false);
        assertTrue(share.sent(b, SLACK), "b rejoined where a is, with no credit for the wait");
        assertTrue(share.sent(a, SLACK));
        assertFalse(share.sent(a, SLACK + 1), "and a is held by it again");
    }

    @Test
    void aFlowThatBecomesBlockedWakesThoseWaitingForIt() {
        share.sent(a, 2 * SLACK);
        assertFalse(share.mayRead(a));
        share.blocked(b, true);
        assertEquals(1, aWoken.get());
        assertTrue(share.mayRead(a));
    }

    @Test
    void aFlowPacedByItsUpstreamHoldsNobodyBackUntilItHasMoreToRead() {
        share.sent(a, 2 * SLACK);
        assertFalse(share.mayRead(a));
        share.idle(b, true);
        assertEquals(1, aWoken.get(), "an upstream-paced flow does not keep the others waiting");
        share.sent(b, 10);
        assertTrue(share.sent(a, 5 * SLACK), "it is still not reckoned while it trickles");
        share.idle(b, false);
        assertFalse(share.sent(a, SLACK + 1), "once it has more to read, it is reckoned from where the others are");
    }

    @Test
    void aFlowThatLeavesWakesThoseWaitingForIt() {
        share.sent(a, 2 * SLACK);
        assertFalse(share.mayRead(a));
        share.leave(b);
        assertEquals(1, aWoken.get());
        assertTrue(share.sent(a, 100 * SLACK), "alone, it is never held");
        assertEquals(1, share.size());
        share.leave(a);
        assertEquals(0, share.size());
        assertTrue(share.sent(a, 100 * SLACK), "a flow that left is never held");
    }

    @Test
    void whenNoFlowIsReckonedTheReckoningResumesFromTheFurthest() {
        share.idle(b, true);
        share.sent(b, 10 * SLACK);
        share.blocked(a, true);
        share.blocked(a, false);
        share.idle(b, false);
        assertTrue(share.sent(b, 1), "b is not held back for a, which rejoined level with it");
        assertTrue(share.sent(a, SLACK));
        assertFalse(share.sent(a, 2), "the two are reckoned against each other again");
    }
}
