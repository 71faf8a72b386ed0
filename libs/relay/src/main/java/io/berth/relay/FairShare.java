package io.berth.relay;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps concurrent large transfers in step, whatever event loop each runs on: a transfer that
 * has sent more than {@code slack} bytes beyond the one furthest behind waits (stops reading its
 * upstream) until that one catches up. This is start-time fair queuing with bytes for time.
 *
 * <p>Only transfers that have bytes to send take part: one waiting for its client to take what
 * it was sent, or one whose upstream keeps running dry (the caller decides when), leaves the
 * reckoning until it can send again, and rejoins no further behind than the slowest of the
 * others. So neither a slow client nor a slow upstream holds anybody back.
 *
 * <p>Thread-safe; every method is short and holds one lock.
 */
final class FairShare {

    /** A transfer's place in the reckoning. */
    static final class Flow {
        private final Runnable wake;
        /** Bytes sent, counted from the virtual time at which the flow joined. */
        private long position;
        /** Why it is not reckoned: {@link #WAITS_FOR_CLIENT}, {@link #PACED_BY_UPSTREAM}, or 0 when it is. */
        private int away;
        /** Whether it was told to wait for the others. */
        private boolean held;
        private boolean left;

        private Flow(Runnable wake) {
            this.wake = wake;
        }
    }

    private static final int WAITS_FOR_CLIENT = 1;
    private static final int PACED_BY_UPSTREAM = 2;

    private final long slack;
    private final List<Flow> flows = new ArrayList<>();
    /** The position of the slowest reckoned flow; never goes back. */
    private long virtualTime;

    /** @param slack how many bytes a transfer may run ahead of the slowest */
    FairShare(long slack) {
        this.slack = slack;
    }

    /**
     * A new transfer. {@code wake} runs (from any thread) when a held flow may read again; it
     * should hop to the flow's own loop and ask {@link #mayRead}.
     */
    synchronized Flow join(Runnable wake) {
        Flow flow = new Flow(wake);
        flow.position = virtualTime;
        flows.add(flow);
        return flow;
    }

    /**
     * Counts {@code bytes} sent by {@code flow}.
     *
     * @return whether it may go on reading; when not, it is held and woken later
     */
    boolean sent(Flow flow, int bytes) {
        List<Flow> woken;
        boolean go;
        synchronized (this) {
            if (flow.left) {
                return true;
            }
            flow.position = Math.max(flow.position, virtualTime) + bytes;
            woken = advance();
            go = flow.position <= virtualTime + slack;
            flow.held = !go;
        }
        wakeAll(woken);
        return go;
    }

    /** Whether a held flow may read again (when not, it stays held). */
    boolean mayRead(Flow flow) {
        List<Flow> woken;
        boolean go;
        synchronized (this) {
            if (flow.left) {
                return true;
            }
            woken = advance();
            go = flow.position <= virtualTime + slack;
            flow.held = !go;
        }
        for (Flow f : woken) {
            if (f != flow) {
                f.wake.run();
            }
        }
        return go;
    }

    /** The flow waits for its client (true) or no longer does (false). */
    void blocked(Flow flow, boolean blocked) {
        away(flow, WAITS_FOR_CLIENT, blocked);
    }

    /**
     * The flow keeps reading everything its upstream has sent (true): its upstream, not this
     * relay, sets its pace, so it is not reckoned until it has more to read than it can (false).
     */
    void idle(Flow flow, boolean idle) {
        away(flow, PACED_BY_UPSTREAM, idle);
    }

    private void away(Flow flow, int reason, boolean away) {
        List<Flow> woken;
        synchronized (this) {
            int was = flow.away;
            int now = away ? was | reason : was & ~reason;
            if (flow.left || now == was) {
                return;
            }
            flow.away = now;
            if (flow.away == 0) {
                // Back in the reckoning, with no credit for the time away.
                flow.position = Math.max(flow.position, virtualTime);
            }
            woken = advance();
        }
        wakeAll(woken);
    }

    /** The transfer ended. */
    void leave(Flow flow) {
        List<Flow> woken;
        synchronized (this) {
            if (flow.left) {
                return;
            }
            flow.left = true;
            flows.remove(flow);
            woken = advance();
        }
        wakeAll(woken);
    }

    /** How many transfers take part. */
    synchronized int size() {
        return flows.size();
    }

    /** Moves the virtual time to the slowest reckoned flow; returns the held flows it frees. */
    private List<Flow> advance() {
        long min = Long.MAX_VALUE;
        for (Flow f : flows) {
            if (f.away == 0 && f.position < min) {
                min = f.position;
            }
        }
        if (min == Long.MAX_VALUE) {
            // Nobody can move: nobody is held back.
            min = maxPosition();
        }
        if (min <= virtualTime) {
            return List.of();
        }
        virtualTime = min;
        List<Flow> woken = null;
        for (Flow f : flows) {
            if (f.held && f.position <= virtualTime + slack) {
                f.held = false;
                if (woken == null) {
                    woken = new ArrayList<>(2);
                }
                woken.add(f);
            }
        }
        return woken == null ? List.of() : woken;
    }

    private long maxPosition() {
        long max = virtualTime;
        for (Flow f : flows) {
            max = Math.max(max, f.position);
        }
        return max;
    }

    private static void wakeAll(List<Flow> woken) {
        for (Flow f : woken) {
            f.wake.run();
        }
    }
}
