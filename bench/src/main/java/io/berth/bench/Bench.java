package io.berth.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the workloads against the registries, A B C then C B A, round after round, so that drift
 * of a shared machine (another tenant, a warming page cache) falls on every registry alike. A
 * workload's rounds run back to back, so its registries are compared within minutes.
 */
final class Bench {

    private final List<Target> targets;
    private final PrintStream progress;
    private final java.util.Set<String> blobsOnly;

    /**
     * @param blobsOnly the registries that run only the workloads moving blob bytes
     *        ({@link #movesBlobs}): a second backend of a registry, whose manifests, tokens and
     *        catalog are the same code on the same database
     */
    Bench(List<Target> targets, PrintStream progress, java.util.Set<String> blobsOnly) {
        this.targets = targets;
        this.progress = progress;
        this.blobsOnly = blobsOnly;
    }

    /** The workloads whose work is storing or serving blob bytes: pushes and pulls, skopeo's too. */
    static boolean movesBlobs(String workload) {
        return workload.matches("(skopeo-)?(push|pull)-.*");
    }

    private boolean applies(Workload w, Target t) {
        return w.appliesTo(t) && (!blobsOnly.contains(t.name()) || movesBlobs(w.name()));
    }

    /**
     * Seeds every registry, warms each one up, then measures; gives the report. A workload runs
     * only against the registries it applies to ({@link Workload#appliesTo}); the others have
     * no runs of it.
     */
    Report run(Workloads http, List<Workload> workloads, List<Workload> warmUp, int rounds, Map<String, String> pairs) {
        for (Target t : targets) {
            progress.printf("%tT seeding %s (%s)%n", new java.util.Date(), t.name(), t.url());
            http.seed(t);
            workloads.stream().filter(w -> applies(w, t)).forEach(w -> w.seed(t));
        }
        for (Workload w : warmUp) {
            for (Target t : targets.stream().filter(t -> applies(w, t)).toList()) {
                Measurement m = w.run(t, -1);
                progress.printf("warm-up %-24s %-16s %s%n", w.name(), t.name(), describe(w, m));
            }
        }
        Report report = new Report(targets.stream().map(Target::name).toList(), pairs);
        for (Workload w : workloads) {
            Map<String, List<Measurement>> runs = new LinkedHashMap<>();
            for (int r = 0; r < w.rounds(rounds); r++) {
                List<Target> order = new ArrayList<>(targets);
                if (r % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (Target t : order.stream().filter(t -> applies(w, t)).toList()) {
                    Measurement m = w.run(t, r);
                    runs.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(m);
                    progress.printf("%tT round %d %-24s %-16s %s%n", new java.util.Date(), r + 1, w.name(), t.name(), describe(w, m));
                }
            }
            report.add(w, runs);
        }
        return report;
    }

    private static String describe(Workload w, Measurement m) {
        String s = String.format("%s %s, %d ops, %.1f s, p99 %s ms", Report.fmt(m.value(w.unit())), w.unit().label,
                m.ops(), m.seconds(), Report.fmt(m.latencies().quantileMillis(0.99)));
        if (Double.isFinite(m.clientCpuSeconds())) {
            s += ", client cpu " + Report.fmt(m.clientCpuSeconds()) + " s";
        }
        return m.errors() == 0 ? s : s + ", " + m.errors() + " ERRORS: " + m.sampleErrors();
    }

    /**
     * Flushes dirty pages before a timed run. On these machines a write() costs more system CPU
     * the more unwritten data the page cache holds, so without it every run would pay for the
     * ones before it, whichever registry wrote them.
     */
    static void sync() {
        try {
            Process p = new ProcessBuilder("sync").inheritIO().start();
            p.waitFor(120, TimeUnit.SECONDS);
        } catch (IOException e) {
            // not on Linux: nothing to flush that we can reach
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
