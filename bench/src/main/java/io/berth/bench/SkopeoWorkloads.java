package io.berth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Real-client timings: {@code skopeo copy} of a one-layer image and of a many-layer image, from
 * an OCI layout into a new repository (push) and from the registry into a new layout (pull).
 * One copy per run, started after a {@code sync} and with skopeo's blob-info cache deleted, so
 * no copy is told where a blob already is or pays for the last one's unwritten pages. They run
 * in the profile's own number of rounds ({@link Profile#skopeoRounds()}): a single copy's time
 * varies by several percent whatever the registry, so a median worth comparing needs more of
 * them than a workload of many operations does. skopeo's own CPU is measured with each copy
 * ({@link Measurement#clientCpuSeconds}): when it fills most of the copy's time, skopeo sets the
 * pace, and the report says so beside the ratio.
 */
final class SkopeoWorkloads {

    private static final List<Path> BLOB_INFO_CACHES = List.of(
            Path.of("/var/lib/containers/cache/blob-info-cache-v1.boltdb"),
            Path.of(System.getProperty("user.home"), ".local/share/containers/cache/blob-info-cache-v1.boltdb"));
    private static final long COPY_LIMIT_SECONDS = 600;

    private final Path work;
    private final String ns;
    private final AtomicInteger copies = new AtomicInteger();

    SkopeoWorkloads(Path work, String namespace) {
        this.work = work;
        this.ns = namespace;
    }

    List<Workload> all(Profile profile, long runId) {
        List<Workload> all = new ArrayList<>();
        int rounds = profile.skopeoRounds();
        both(all, Profile.label(profile.skopeoLayer()), 1, profile.skopeoLayer(), runId, rounds);
        both(all, profile.skopeoLayers() + "-layers", profile.skopeoLayers(), profile.skopeoSmallLayer(), runId, rounds);
        return all;
    }

    /** The push and the pull of one image of {@code layers} layers of {@code bytes} each. */
    private void both(List<Workload> all, String image, int layers, long bytes, long runId, int rounds) {
        Path layout = work.resolve("layout-" + image);
        all.add(new Copy("skopeo-push-" + image, layout, layers, bytes, runId, true, rounds));
        all.add(new Copy("skopeo-pull-" + image, layout, layers, bytes, runId, false, rounds));
    }

    /** One skopeo copy per run; the pull copies what the seed pushed. */
    private final class Copy implements Workload {
        private final String name;
        private final Path layout;
        private final int layers;
        private final long layerBytes;
        private final long seed;
        private final boolean push;
        private final int rounds;

        Copy(String name, Path layout, int layers, long layerBytes, long seed, boolean push, int rounds) {
            this.name = name;
            this.layout = layout;
            this.layers = layers;
            this.layerBytes = layerBytes;
            this.seed = seed;
            this.push = push;
            this.rounds = rounds;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Unit unit() {
            return Unit.SECONDS;
        }

        @Override
        public boolean underLoad() {
            return false;
        }

        @Override
        public int rounds(int profileRounds) {
            return rounds;
        }

        private synchronized Path layout() {
            if (!Files.exists(layout.resolve("index.json"))) {
                try {
                    OciLayout.write(layout, layers, layerBytes, seed + layers);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return layout;
        }

        private String pulled(Target target) {
            return "docker://" + target.authority() + "/" + ns + "/" + name.replace("skopeo-pull-", "skopeo-").toLowerCase(Locale.ROOT) + ":" + OciLayout.TAG;
        }

        @Override
        public void seed(Target target) {
            if (!push) {
                Measurement m = copy(target, "oci:" + layout() + ":" + OciLayout.TAG, pulled(target), true);
                if (m.errors() > 0) {
                    throw new BenchException("could not push the image " + name + " pulls to " + target.name()
                            + ": " + m.sampleErrors());
                }
            }
        }

        @Override
        public Measurement run(Target target, int round) {
            int n = copies.incrementAndGet();
            if (push) {
                return copy(target, "oci:" + layout() + ":" + OciLayout.TAG,
                        "docker://" + target.authority() + "/" + ns + "/" + name.toLowerCase(Locale.ROOT) + "-" + round + "-" + n + ":" + OciLayout.TAG, true);
            }
            Path into = work.resolve("pulled-" + n);
            try {
                return copy(target, pulled(target), "oci:" + into + ":" + OciLayout.TAG, false);
            } finally {
                delete(into);
            }
        }

        private Measurement copy(Target target, String from, String to, boolean toRegistry) {
            List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "--quiet"));
            String side = toRegistry ? "--dest" : "--src";
            command.add(side + "-tls-verify=false");
            if (target.credentials() != null) {
                command.add(side + "-creds=" + target.credentials());
            }
            command.add(from);
            command.add(to);
            Bench.sync();
            BLOB_INFO_CACHES.forEach(p -> p.toFile().delete());
            Latencies latencies = new Latencies();
            List<String> errors = new ArrayList<>();
            try (ProcessMeter meter = new ProcessMeter(target.processes())) {
                long children = ProcessMeter.endedChildrenTicks();
                long t0 = System.nanoTime();
                Path log = work.resolve("skopeo.log");
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                // skopeo's own CPU, once it has been waited for; unknown when it had to be killed.
                double clientCpu = Double.NaN;
                if (!p.waitFor(COPY_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    errors.add("skopeo copy did not end in " + COPY_LIMIT_SECONDS + " s");
                } else {
                    clientCpu = ProcessMeter.seconds(children, ProcessMeter.endedChildrenTicks());
                    if (p.exitValue() != 0) {
                        errors.add("skopeo copy failed: " + Files.readString(log).strip());
                    }
                }
                long elapsed = System.nanoTime() - t0;
                latencies.add(elapsed);
                return new Measurement(1, errors.size(), errors.isEmpty() ? (long) layers * layerBytes : 0, elapsed / 1e9,
                        latencies, meter.cpuSeconds(), meter.rssPeakMib(), errors, clientCpu);
            } catch (IOException e) {
                throw new BenchException("cannot run skopeo (apt-get install -y skopeo): " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted");
            }
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
