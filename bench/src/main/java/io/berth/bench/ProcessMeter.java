package io.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU seconds and peak resident memory of a registry's processes during one run, read from
 * {@code /proc}: user + system ticks at the start and the end, and {@code VmRSS} sampled every
 * 50 ms in between. A process that is gone reads as NaN, which the report shows rather than hides.
 */
final class ProcessMeter implements AutoCloseable {

    /** Linux's USER_HZ: the unit of utime and stime in /proc/[pid]/stat on every mainstream arch. */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final long SAMPLE_MILLIS = 50;

    private final Map<String, Long> processes;
    private final Map<String, Long> startTicks = new LinkedHashMap<>();
    private final Map<String, Double> peakKib = new LinkedHashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    /** Starts measuring the named processes (label → PID). */
    ProcessMeter(Map<String, Long> processes) {
        this.processes = processes;
        processes.forEach((label, pid) -> {
            startTicks.put(label, cpuTicks(pid));
            peakKib.put(label, rssKib(pid));
        });
        sampler = new Thread(this::sample, "bench-process-meter");
        sampler.setDaemon(true);
        if (!processes.isEmpty()) {
            sampler.start();
        }
    }

    private void sample() {
        while (running) {
            synchronized (peakKib) {
                processes.forEach((label, pid) -> peakKib.merge(label, rssKib(pid), Math::max));
            }
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** CPU seconds each process spent since the meter started. */
    Map<String, Double> cpuSeconds() {
        Map<String, Double> out = new LinkedHashMap<>();
        processes.forEach((label, pid) -> {
            out.put(label, seconds(startTicks.get(label), cpuTicks(pid)));
        });
        return out;
    }

    /** The highest resident memory of each process seen so far, in MiB. */
    Map<String, Double> rssPeakMib() {
        Map<String, Double> out = new LinkedHashMap<>();
        synchronized (peakKib) {
            processes.forEach((label, pid) -> {
                double kib = Math.max(peakKib.get(label), rssKib(pid));
                out.put(label, kib < 0 ? Double.NaN : kib / 1024);
            });
        }
        return out;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }

    /** utime + stime of a process in ticks, or -1 when it cannot be read. */
    static long cpuTicks(long pid) {
        try {
            return parseCpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * utime + stime from the text of /proc/[pid]/stat. The command name (field 2) may hold spaces
     * and parentheses, so fields are counted from the last ')'; utime and stime are fields 14 and 15.
     */
    static long parseCpuTicks(String stat) {
        return twoFields(stat, 14);
    }

    /**
     * CPU ticks (user + system) of this process's children that have ended and been waited for:
     * the kernel adds a child's CPU to its parent's {@code cutime} and {@code cstime} when the
     * parent reaps it, which {@link Process#waitFor} has done by the time it returns. -1 when it
     * cannot be read (not Linux).
     */
    static long endedChildrenTicks() {
        try {
            return parseChildrenTicks(Files.readString(Path.of("/proc/self/stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** cutime + cstime (fields 16 and 17) from the text of /proc/[pid]/stat. */
    static long parseChildrenTicks(String stat) {
        return twoFields(stat, 16);
    }

    /**
     * The sum of field {@code n} and the one after it, numbered as proc(5) numbers them, counted
     * from the last ')' because the command name (field 2) may hold spaces and parentheses.
     */
    private static long twoFields(String stat, int n) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[n - 3]) + Long.parseLong(fields[n - 2]);
    }

    /** Seconds of CPU between two readings of {@link #cpuTicks} or {@link #endedChildrenTicks}; NaN when either failed. */
    static double seconds(long fromTicks, long toTicks) {
        return fromTicks < 0 || toTicks < 0 ? Double.NaN : (toTicks - fromTicks) / TICKS_PER_SECOND;
    }

    /** VmRSS of a process in KiB, or -1 when it cannot be read. */
    static double rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Double.parseDouble(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not ours to read
        }
        return -1;
    }
}
