package io.berth.bench;

import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * The garbage-collection benchmark of issue #21 (bench/gc.sh runs it; docs/benchmarks.md has
 * the method). Two commands, each against one registry:
 * <ul>
 *   <li>{@code populate}: pushes {@code manifests} images of {@code blobs/manifests} unique blobs
 *       each (a config and layers of 1 KiB) into 100 repositories, then deletes every other
 *       manifest by digest, so half the blobs are garbage. Prints what it made and how long it
 *       took.
 *   <li>{@code load}: pushes and pulls one-layer images of 256 KiB with {@code concurrency}
 *       clients for {@code seconds}, or until the file {@code until} exists, and prints the
 *       operations per second and MiB/s it reached: the throughput without a gc run, and during
 *       one.
 * </ul>
 * Usage: {@code java -cp berth-bench.jar io.berth.bench.GcBench populate|load URL USER:PASSWORD
 * NAMESPACE [manifests blobs concurrency | seconds concurrency until]}.
 */
public final class GcBench {

    static final int REPOSITORIES = 100;
    static final int LAYER_BYTES = 1024;
    static final int LOAD_LAYER_BYTES = 256 * 1024;

    private GcBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: GcBench populate URL USER:PASSWORD NAMESPACE [manifests blobs concurrency]\n"
                    + "       GcBench load URL USER:PASSWORD NAMESPACE [seconds concurrency until-file]");
            System.exit(2);
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
            Registry registry = new Registry(new HttpSession(vertx, URI.create(args[1]), args[2], 64, Trace.OFF, "gc"));
            switch (args[0]) {
                case "populate" -> populate(registry, args[3], arg(args, 4, 20_000), arg(args, 5, 100_000),
                        arg(args, 6, 32));
                case "load" -> load(registry, args[3], arg(args, 4, 20), arg(args, 5, 8),
                        args.length > 6 ? args[6] : null);
                default -> throw new IllegalArgumentException("populate or load, not " + args[0]);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static int arg(String[] args, int i, int otherwise) {
        return args.length > i ? Integer.parseInt(args[i]) : otherwise;
    }

    /** The data set: every manifest in its own blobs; every other one deleted. */
    static void populate(Registry registry, String ns, int manifests, int blobs, int concurrency) throws Exception {
        int perManifest = Math.max(2, blobs / manifests);
        long t0 = System.nanoTime();
        String[] digests = new String[manifests];
        run(manifests, concurrency, i -> pushImage(registry, repository(ns, i), "m" + i, i, perManifest)
                .onSuccess(d -> digests[i] = d).mapEmpty());
        double pushed = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        run(manifests / 2, concurrency, k -> {
            int i = 2 * k + 1;
            return registry.http().call(HttpMethod.DELETE, "/v2/" + repository(ns, i) + "/manifests/" + digests[i],
                    null, null, "repository:" + repository(ns, i) + ":delete", 202).mapEmpty();
        });
        double deleted = (System.nanoTime() - t1) / 1e9;
        System.out.printf("{\"manifests\": %d, \"blobs\": %d, \"deletedManifests\": %d, \"garbageBlobs\": %d,"
                + " \"pushSeconds\": %.1f, \"deleteSeconds\": %.1f}%n", manifests, manifests * perManifest,
                manifests / 2, manifests / 2 * perManifest, pushed, deleted);
    }

    static String repository(String ns, int i) {
        return ns + "/gc/r" + (i % REPOSITORIES);
    }

    /** Pushes image {@code i}: a config and {@code blobs - 1} layers, all its own; gives the manifest's digest. */
    static Future<String> pushImage(Registry registry, String repository, String tag, long i, int blobs) {
        Random random = new Random(i * 7919 + System.nanoTime());
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"gc-bench\":" + i + ",\"n\":" + random.nextLong()
                + "}").getBytes(StandardCharsets.UTF_8);
        List<byte[]> layers = new ArrayList<>();
        for (int l = 1; l < blobs; l++) {
            byte[] layer = new byte[LAYER_BYTES];
            random.nextBytes(layer);
            layers.add(layer);
        }
        Future<Void> chain = registry.pushBlob(repository, blob(config), 0);
        for (byte[] layer : layers) {
            chain = chain.compose(v -> registry.pushBlob(repository, blob(layer), 0));
        }
        byte[] manifest = manifest(config, layers);
        return chain.compose(v -> registry.putManifest(repository, tag, manifest, MediaTypes.OCI_MANIFEST))
                .map(v -> Digest.sha256(manifest).toString());
    }

    static Payload.Blob blob(byte[] bytes) {
        return new Payload.Blob(Digest.sha256(bytes), bytes.length, Unpooled.wrappedBuffer(bytes), Unpooled.EMPTY_BUFFER);
    }

    static byte[] manifest(byte[] config, List<byte[]> layers) {
        StringBuilder m = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + Digest.sha256(config) + "\",\"size\":" + config.length + "},\"layers\":[");
        for (int l = 0; l < layers.size(); l++) {
            m.append(l == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"")
                    .append(Digest.sha256(layers.get(l))).append("\",\"size\":").append(layers.get(l).length).append("}");
        }
        return m.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Push-then-pull of one-layer images, as CI does, until the time is up or {@code until} exists. */
    static void load(Registry registry, String ns, int seconds, int concurrency, String until) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        BooleanSupplier done = until == null ? () -> System.nanoTime() > deadline
                : () -> java.nio.file.Files.exists(java.nio.file.Path.of(until)) || System.nanoTime() > deadline;
        AtomicLong ops = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        byte[] layerBytes = new byte[LOAD_LAYER_BYTES];
        long t0 = System.nanoTime();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            int client = c;
            CompletableFuture<Void> finished = new CompletableFuture<>();
            clients.add(finished);
            loop(registry, ns + "/gc/load" + client, client, 0, layerBytes, done, ops, bytes, failures, finished);
        }
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        System.out.printf("{\"seconds\": %.1f, \"operations\": %d, \"opsPerSecond\": %.1f, \"mibPerSecond\": %.1f,"
                + " \"failures\": %d}%n", elapsed, ops.get(), ops.get() / elapsed,
                bytes.get() / elapsed / (1024 * 1024), failures.get());
    }

    private static void loop(Registry registry, String repository, int client, long n, byte[] layerBytes,
            BooleanSupplier done, AtomicLong ops, AtomicLong bytes, AtomicLong failures, CompletableFuture<Void> finished) {
        if (done.getAsBoolean()) {
            finished.complete(null);
            return;
        }
        byte[] layer = layerBytes.clone();
        new Random(client * 1_000_003L + n + System.nanoTime()).nextBytes(layer);
        Payload.Blob blob = blob(layer);
        String tag = "c" + client + "-" + n;
        registry.pushImage(repository, tag, blob, 0)
                .compose(pushed -> registry.pullImage(repository, tag))
                .onComplete(r -> {
                    if (r.succeeded()) {
                        ops.addAndGet(2);
                        bytes.addAndGet(2L * layer.length);
                    } else if (failures.incrementAndGet() <= 3) {
                        System.err.println("load: " + r.cause().getMessage());
                    }
                    loop(registry, repository, client, n + 1, layerBytes, done, ops, bytes, failures, finished);
                });
    }

    /** Runs {@code count} operations, at most {@code concurrency} at a time; fails on the first failure. */
    static void run(int count, int concurrency, IntFunction<Future<Void>> op) throws Exception {
        CompletableFuture<Void> all = new CompletableFuture<>();
        AtomicLong next = new AtomicLong();
        AtomicLong finished = new AtomicLong();
        for (int c = 0; c < Math.min(concurrency, count); c++) {
            step(count, op, next, finished, all);
        }
        if (count == 0) {
            all.complete(null);
        }
        all.get();
    }

    private static void step(int count, IntFunction<Future<Void>> op, AtomicLong next, AtomicLong finished,
            CompletableFuture<Void> all) {
        long i = next.getAndIncrement();
        if (i >= count || all.isDone()) {
            return;
        }
        op.apply((int) i).onComplete(r -> {
            if (r.failed()) {
                all.completeExceptionally(r.cause());
                return;
            }
            if (finished.incrementAndGet() == count) {
                all.complete(null);
            } else {
                step(count, op, next, finished, all);
            }
        });
    }
}
