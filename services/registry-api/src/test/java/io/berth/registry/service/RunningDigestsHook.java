package io.berth.registry.service;

/** Lets tests in other packages drop every running digest, as a restart would. */
public final class RunningDigestsHook {

    private RunningDigestsHook() {}

    public static void forgetAll(RunningDigests digests) {
        digests.forgetAll();
    }
}
