package io.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.MediaTypes;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * The HTTP workloads, modelled on zot's zb, with random bytes. Every repository lives under one
 * namespace (a berth project), and every pushed blob is new, so no registry can skip an upload.
 * Seeded content (the images pulled, the manifest read, the tags listed) is the same bytes in
 * every registry. The token workloads measure a registry's token service instead, and run only
 * where its credentials are given ({@link Target.Tokens}): distribution has no token service.
 */
final class Workloads {

    /** No count-based run may take longer than this; what has not ended by then is an error. */
    private static final long COUNT_LIMIT_MILLIS = TimeUnit.MINUTES.toMillis(10);
    private static final long GRACE_MILLIS = TimeUnit.SECONDS.toMillis(60);
    private static final long SMALL = 1024;
    private static final int ALL_ROUNDS = Integer.MAX_VALUE;
    /** How long the first, untimed request of a workload may take before the workload gives up. */
    private static final long FIRST_SECONDS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Profile profile;
    private final String ns;
    private final long runId;
    private final Map<Long, Payload> payloads = new ConcurrentHashMap<>();
    private final AtomicLong blobs = new AtomicLong();

    Workloads(Profile profile, String namespace, long runId) {
        this.profile = profile;
        this.ns = namespace;
        this.runId = runId;
    }

    /** All of them, in the order they run: pushes first, so the catalog has the many repositories. */
    List<Workload> all() {
        List<Workload> all = new ArrayList<>();
        for (long size : profile.sizes()) {
            all.add(push("push-" + Profile.label(size), size, 0));
        }
        for (long size : profile.sizes()) {
            all.add(push("push-chunked-" + Profile.label(size), size, Math.max(256 * 1024, size / 4)));
        }
        all.add(manyRepositories());
        all.add(contention());
        for (long size : profile.sizes()) {
            all.add(pull(size));
        }
        all.add(mixed(profile.sizes().get(1)));
        all.add(manifests("manifest-get-tag", HttpMethod.GET, false));
        all.add(manifests("manifest-get-digest", HttpMethod.GET, true));
        all.add(manifests("manifest-get-tag-head", HttpMethod.HEAD, false));
        all.add(manifests("manifest-get-digest-head", HttpMethod.HEAD, true));
        all.add(basicManifests());
        all.add(tagList());
        all.add(catalog());
        all.add(tokens("token-robot", "robot"));
        all.add(tokens("token-user", "user"));
        return all;
    }

    /** Pushes what the pull, manifest and tag-list workloads read. The same bytes in every registry. */
    void seed(Target target) {
        Registry r = target.registry();
        for (long size : profile.sizes()) {
            await(r.pushImage(ns + "/pull-" + Profile.label(size).toLowerCase(Locale.ROOT), "latest", payload(size).blob(-size), 0),
                    "push the image the pull-" + Profile.label(size) + " workload pulls to " + target.name());
        }
        Payload.Blob small = payload(SMALL).blob(-1);
        await(r.pushImage(ns + "/manifests", "latest", small, 0), "push the manifest workloads' image to " + target.name());
        await(r.pushImage(ns + "/tags", "t0", small, 0), "push the tag-list workload's image to " + target.name());
        byte[] manifest = Image.of(small).manifest();
        for (int t = 1; t < profile.tags(); t++) {
            await(r.putManifest(ns + "/tags", "t" + t, manifest, MediaTypes.OCI_MANIFEST),
                    "tag the tag-list workload's image in " + target.name());
        }
    }

    private Payload payload(long size) {
        return payloads.computeIfAbsent(size, s -> new Payload(s, runId));
    }

    /** Distinct blobs of a size, their digests computed before the run's clock starts. */
    private List<Payload.Blob> freshBlobs(long size, int count) {
        Payload payload = payload(size);
        List<Payload.Blob> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(payload.blob(blobs.incrementAndGet()));
        }
        return out;
    }

    private Workload push(String name, long size, long chunk) {
        return new Http(name, Unit.MB_PER_S, ALL_ROUNDS, (target, round) -> {
            int ops = profile.opsFor(size);
            List<Payload.Blob> layers = freshBlobs(size, ops);
            String repo = ns + "/" + name.toLowerCase(Locale.ROOT) + "-" + round;
            return counted(target, profile.blobClients(), ops,
                    i -> target.registry().pushImage(repo, "v" + i, layers.get(i), chunk));
        });
    }

    private Workload manyRepositories() {
        String name = "push-" + profile.repos() + "-repos";
        return new Http(name, Unit.IMAGES_PER_S, profile.reposRounds(), (target, round) -> {
            List<Payload.Blob> layers = freshBlobs(SMALL, profile.repos());
            return counted(target, profile.requestClients(), profile.repos(),
                    i -> target.registry().pushImage(ns + "/many-" + round + "-" + i, "latest", layers.get(i), 0));
        });
    }

    /** Every push is its own client, all at once, into one repository; then every tag must be listed. */
    private Workload contention() {
        int n = profile.contention();
        return new Http("push-" + n + "-tags-one-repo", Unit.IMAGES_PER_S, ALL_ROUNDS, (target, round) -> {
            List<Payload.Blob> layers = freshBlobs(SMALL, n);
            String repo = ns + "/contention-" + round;
            Measurement m = counted(target, n, n, i -> target.registry().pushImage(repo, "t" + i, layers.get(i), 0));
            Set<String> listed = new HashSet<>();
            try {
                await(target.registry().tags(repo, 10 * n), "list " + repo).path("tags").forEach(t -> listed.add(t.asText()));
            } catch (BenchException e) {
                return withErrors(m, n, e.getMessage());
            }
            long missing = n - listed.size();
            return missing == 0 ? m : withErrors(m, missing, missing + " of " + n + " tags missing from the tag list");
        });
    }

    private Workload pull(long size) {
        String repo = ns + "/pull-" + Profile.label(size).toLowerCase(Locale.ROOT);
        return new Http("pull-" + Profile.label(size), Unit.MB_PER_S, ALL_ROUNDS, (target, round) ->
                counted(target, profile.blobClients(), profile.pullsFor(size), i -> target.registry().pullImage(repo, "latest")));
    }

    /** Three pulls to one push, interleaved, at one size. */
    private Workload mixed(long size) {
        String from = ns + "/pull-" + Profile.label(size).toLowerCase(Locale.ROOT);
        return new Http("mixed-" + Profile.label(size), Unit.MB_PER_S, ALL_ROUNDS, (target, round) -> {
            int ops = 2 * profile.opsFor(size);
            List<Payload.Blob> layers = freshBlobs(size, ops / 4 + 1);
            String to = ns + "/mixed-" + round;
            return counted(target, 2 * profile.blobClients(), ops, i -> i % 4 == 3
                    ? target.registry().pushImage(to, "v" + i, layers.get(i / 4), 0)
                    : target.registry().pullImage(from, "latest"));
        });
    }

    private Workload manifests(String name, HttpMethod method, boolean byDigest) {
        String repo = ns + "/manifests";
        String reference = byDigest ? Image.of(payload(SMALL).blob(-1)).manifestDigest().toString() : "latest";
        return new Http(name, Unit.REQ_PER_S, ALL_ROUNDS, (target, round) ->
                timed(target, i -> target.registry().manifest(method, repo, reference)));
    }

    /**
     * Manifest GETs by tag with Basic credentials on every request and no token, as
     * {@code curl -u} and scripts send them: distribution with htpasswd checks a bcrypt hash for
     * each; berth exchanges them at auth (issue #19). Only where the target has credentials.
     */
    private Workload basicManifests() {
        String repo = ns + "/manifests";
        return new Http("manifest-get-basic", Unit.REQ_PER_S, ALL_ROUNDS, t -> t.credentials() != null,
                (target, round) -> firstThenTimed(target.processes(),
                        i -> target.registry().manifestWithBasic(repo, "latest", target.credentials())));
    }

    /**
     * Token requests with Basic credentials of one kind (a robot's, a user's), as a client asks
     * before a pull: {@code GET <token url>&scope=repository:<ns>/manifests:pull}. Each answer
     * must be 200 with a token. Only where the target's token service has credentials of that
     * kind; the target's token processes (auth, the gateway) are metered, not the registry's.
     */
    private Workload tokens(String name, String kind) {
        String scope = "scope=" + URLEncoder.encode("repository:" + ns + "/manifests:pull", StandardCharsets.UTF_8);
        return new Http(name, Unit.REQ_PER_S, ALL_ROUNDS, t -> t.tokens().credentials().containsKey(kind),
                (target, round) -> {
                    Target.Tokens tokens = target.tokens();
                    String url = tokens.url() + (tokens.url().contains("?") ? "&" : "?") + scope;
                    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                            .add(HttpHeaders.AUTHORIZATION, HttpSession.basic(tokens.credentials().get(kind)));
                    return firstThenTimed(tokens.processes(), i -> target.registry().http()
                            .send(HttpMethod.GET, url, headers, 200).compose(r -> hasToken(r.body().getBytes())));
                });
    }

    /** Succeeds when a token service's answer holds a token ({@code token} or {@code access_token}). */
    static Future<Long> hasToken(byte[] body) {
        try {
            JsonNode json = JSON.readTree(body);
            JsonNode token = json.hasNonNull("token") ? json.get("token") : json.get("access_token");
            return token != null && !token.asText().isEmpty() ? Future.succeededFuture(0L)
                    : Future.failedFuture(new BenchException("the token service answered 200 without a token"));
        } catch (IOException e) {
            return Future.failedFuture(new BenchException("the token service answered 200 with no JSON"));
        }
    }

    private Workload tagList() {
        int expected = profile.tags();
        return new Http("tag-list", Unit.REQ_PER_S, ALL_ROUNDS, (target, round) -> timed(target, i ->
                target.registry().tags(ns + "/tags", expected).compose(json -> json.path("tags").size() == expected
                        ? Future.succeededFuture(0L)
                        : Future.failedFuture(new BenchException("the tag list had " + json.path("tags").size()
                                + " of " + expected + " tags")))));
    }

    private Workload catalog() {
        return new Http("catalog", Unit.REQ_PER_S, ALL_ROUNDS, (target, round) -> timed(target, i ->
                target.catalogRegistry().catalog(100).compose(json -> json.path("repositories").isEmpty()
                        ? Future.failedFuture(new BenchException("an empty catalog"))
                        : Future.succeededFuture(0L))));
    }

    private static Measurement counted(Target target, int clients, int ops, IntFunction<Future<Long>> op) {
        Bench.sync();
        return Runner.run(clients, ops, COUNT_LIMIT_MILLIS, GRACE_MILLIS, target.processes(), op);
    }

    private Measurement timed(Target target, IntFunction<Future<Long>> op) {
        Bench.sync();
        return Runner.run(profile.requestClients(), Integer.MAX_VALUE, profile.timedMillis(), GRACE_MILLIS,
                target.processes(), op);
    }

    /**
     * One operation first, untimed, then a timed run. When the first one fails, the run is that
     * one error with its reason, at once: a registry that refuses the credentials (a 401 to Basic
     * on /v2, a wrong robot secret) would refuse every request of the run the same way, and a
     * request that gets no answer would otherwise hold the run until its grace ends.
     */
    private Measurement firstThenTimed(Map<String, Long> processes, IntFunction<Future<Long>> op) {
        long t0 = System.nanoTime();
        try {
            within(op.apply(-1), FIRST_SECONDS);
        } catch (BenchException e) {
            long took = System.nanoTime() - t0;
            Latencies latencies = new Latencies();
            latencies.add(took);
            return new Measurement(1, 1, 0, took / 1e9, latencies, Map.of(), Map.of(), List.of(e.getMessage()));
        }
        Bench.sync();
        return Runner.run(profile.requestClients(), Integer.MAX_VALUE, profile.timedMillis(), GRACE_MILLIS, processes, op);
    }

    /** The future's value within {@code seconds}; its failure, or the lack of an answer, as a BenchException. */
    static <T> T within(Future<T> future, long seconds) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof BenchException b ? b : new BenchException(String.valueOf(e.getCause().getMessage()));
        } catch (TimeoutException e) {
            throw new BenchException("no answer in " + seconds + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }

    private static Measurement withErrors(Measurement m, long more, String why) {
        List<String> sample = new ArrayList<>(m.sampleErrors());
        sample.add(why);
        return new Measurement(m.ops(), m.errors() + more, m.bytes(), m.seconds(), m.latencies(), m.cpuSeconds(),
                m.rssPeakMib(), List.copyOf(sample));
    }

    /** Waits for a setup step; its failure stops the benchmark with what was being done. */
    static <T> T await(Future<T> future, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new BenchException("could not " + what + ": " + e.getCause().getMessage());
        } catch (Exception e) {
            throw new BenchException("could not " + what + ": " + e);
        }
    }

    /** A workload over HTTP, under load, against the targets {@code applies} accepts. */
    private record Http(String name, Unit unit, int maxRounds, Predicate<Target> applies, RunFn fn) implements Workload {
        Http(String name, Unit unit, int maxRounds, RunFn fn) {
            this(name, unit, maxRounds, t -> true, fn);
        }

        @Override
        public boolean underLoad() {
            return true;
        }

        @Override
        public boolean appliesTo(Target target) {
            return applies.test(target);
        }

        @Override
        public int rounds(int profileRounds) {
            return Math.min(profileRounds, maxRounds);
        }

        @Override
        public Measurement run(Target target, int round) {
            return fn.run(target, round);
        }
    }

    private interface RunFn {
        Measurement run(Target target, int round);
    }
}
