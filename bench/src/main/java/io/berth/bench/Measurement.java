package io.berth.bench;

import java.util.List;
import java.util.Map;

/**
 * What one run of one workload against one registry gave.
 *
 * @param ops operations completed (successful or not)
 * @param errors failed operations: a transport error, an unexpected status, a short body
 * @param bytes payload bytes moved by the successful operations (layers, not manifests)
 * @param seconds wall time from the first operation's start to the last one's end
 * @param latencies each operation's latency
 * @param cpuSeconds CPU seconds (user + system) of each of the registry's processes during the run
 * @param rssPeakMib the highest resident memory of each of its processes during the run
 * @param sampleErrors the first few errors' messages, to say what went wrong
 * @param clientCpuSeconds CPU seconds (user + system) of the client when it is a process of its
 *     own (skopeo), NaN otherwise: when it is close to {@code seconds}, the client set the pace
 */
record Measurement(long ops, long errors, long bytes, double seconds, Latencies latencies,
        Map<String, Double> cpuSeconds, Map<String, Double> rssPeakMib, List<String> sampleErrors,
        double clientCpuSeconds) {

    /** A run whose client is this process (its own HTTP clients), which is not measured apart. */
    Measurement(long ops, long errors, long bytes, double seconds, Latencies latencies,
            Map<String, Double> cpuSeconds, Map<String, Double> rssPeakMib, List<String> sampleErrors) {
        this(ops, errors, bytes, seconds, latencies, cpuSeconds, rssPeakMib, sampleErrors, Double.NaN);
    }

    double opsPerSecond() {
        return seconds > 0 ? (ops - errors) / seconds : 0;
    }

    /** Megabytes (10^6 bytes) per second. */
    double megabytesPerSecond() {
        return seconds > 0 ? bytes / 1e6 / seconds : 0;
    }

    /** The workload's headline number in the given unit. */
    double value(Unit unit) {
        return switch (unit) {
            case MB_PER_S -> megabytesPerSecond();
            case REQ_PER_S, IMAGES_PER_S -> opsPerSecond();
            case SECONDS -> seconds;
        };
    }
}
