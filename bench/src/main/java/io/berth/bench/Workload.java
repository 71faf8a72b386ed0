package io.berth.bench;

/** One thing the benchmark measures, run once per round against each registry. */
interface Workload {

    String name();

    Unit unit();

    /**
     * Whether its latencies are taken under concurrent load, so that the p99 target applies.
     * False for the real-client timings, one copy at a time.
     */
    boolean underLoad();

    /**
     * How many rounds it runs: the profile's, fewer for some too long to repeat in a quick run,
     * more for the single skopeo copies.
     */
    default int rounds(int profileRounds) {
        return profileRounds;
    }

    /**
     * Whether it runs against this registry at all: the token workloads need a token service and
     * its credentials, the Basic one credentials. Where it does not, the report shows no value.
     */
    default boolean appliesTo(Target target) {
        return true;
    }

    /** Anything the workload needs in a registry before its first round; untimed. */
    default void seed(Target target) {
    }

    /** One run against one registry in the given round (from 0). */
    Measurement run(Target target, int round);
}
