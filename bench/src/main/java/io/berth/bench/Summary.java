package io.berth.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One workload's runs against one registry, summed up: the median of the runs' headline values
 * (so one disturbed round does not move it), percentiles over every operation of every run, and
 * every error. {@code clientCpuSeconds} is the median over the runs that measured their client
 * (skopeo's copies), NaN when none did.
 */
record Summary(List<Double> values, double value, double reqPerSecond, double mbPerSecond, double p50, double p90,
        double p99, long ops, long errors, Map<String, Double> cpuSeconds, Map<String, Double> rssPeakMib,
        List<String> sampleErrors, double clientCpuSeconds) {

    static Summary of(Unit unit, List<Measurement> runs) {
        List<Double> values = new ArrayList<>();
        List<Double> rps = new ArrayList<>();
        List<Double> mbps = new ArrayList<>();
        Latencies all = new Latencies();
        long ops = 0;
        long errors = 0;
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, Double> rss = new LinkedHashMap<>();
        List<String> sample = new ArrayList<>();
        List<Double> clientCpu = new ArrayList<>();
        for (Measurement m : runs) {
            values.add(m.value(unit));
            rps.add(m.opsPerSecond());
            mbps.add(m.megabytesPerSecond());
            all.addAll(m.latencies());
            ops += m.ops();
            errors += m.errors();
            m.cpuSeconds().forEach((k, v) -> cpu.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            m.rssPeakMib().forEach((k, v) -> rss.merge(k, v, Math::max));
            m.sampleErrors().stream().limit(3 - sample.size()).forEach(sample::add);
            if (Double.isFinite(m.clientCpuSeconds())) {
                clientCpu.add(m.clientCpuSeconds());
            }
        }
        Map<String, Double> cpuMedian = new LinkedHashMap<>();
        cpu.forEach((k, v) -> cpuMedian.put(k, median(v)));
        return new Summary(List.copyOf(values), median(values), median(rps), median(mbps), all.quantileMillis(0.5),
                all.quantileMillis(0.9), all.quantileMillis(0.99), ops, errors, cpuMedian, rss, List.copyOf(sample), median(clientCpu));
    }

    /** The middle value (the mean of the two middle ones for an even count); NaN for none. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    double cpuTotal() {
        return cpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    double rssTotal() {
        return rssPeakMib.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
