import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The race test of issue #21, against a running stack through the gateway: rounds of concurrent
 * pushes (images sharing layers, indexes), cross-repository mounts, deletes and gc runs with a
 * grace window of 0 and untagged deletion. After each round, with a last gc run finished:
 * every manifest a tag or an index reaches pulls whole (each blob's bytes match its digest), and
 * no blob that nothing references survives (asked of PostgreSQL with the command in
 * BERTH_RACE_PSQL). A push that gc undercut must fail cleanly (400 BLOB_UNKNOWN/MANIFEST_*) and
 * succeed when the client uploads again, as docker, podman and skopeo do; any 5xx fails the test.
 *
 * <p>Run: {@code java tests/e2e/GcRace.java <gateway host:port> <user:password> <project> <rounds>}.
 * Exit 0 when every round holds; otherwise the first broken promise is printed and it exits 1.
 */
public class GcRace {

    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String INDEX = "application/vnd.oci.image.index.v1+json";
    static final Pattern DIGEST = Pattern.compile("\"digest\":\"(sha256:[0-9a-f]{64})\"");
    static final int PUSHERS = 4;
    static final int IMAGES_PER_PUSHER = 3;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final String base;
    final String auth;
    final String project;
    final Random random = new Random();
    final Map<String, byte[]> shared = new ConcurrentHashMap<>();
    final Set<String> repositories = ConcurrentHashMap.newKeySet();
    final Map<String, List<String>> pushed = new ConcurrentHashMap<>(); // repository -> manifest digests
    final AtomicInteger cleanRetries = new AtomicInteger();
    final AtomicInteger gcRuns = new AtomicInteger();
    final AtomicInteger mounts = new AtomicInteger();
    final AtomicInteger deletes = new AtomicInteger();

    GcRace(String gateway, String credentials, String project) {
        this.base = "http://" + gateway;
        this.auth = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        this.project = project;
    }

    public static void main(String[] args) throws Exception {
        GcRace race = new GcRace(args[0], args[1], args[2]);
        int rounds = Integer.parseInt(args[3]);
        for (int i = 0; i < 4; i++) {
            race.shared.put("shared-" + i, race.bytes(2048 + i));
        }
        for (int round = 1; round <= rounds; round++) {
            String broken = race.round(round);
            if (broken != null) {
                System.out.println("round " + round + ": " + broken);
                System.exit(1);
            }
            System.out.printf("round %d: ok (%d gc runs, %d clean retries, %d mounts, %d deletes so far)%n", round,
                    race.gcRuns.get(), race.cleanRetries.get(), race.mounts.get(), race.deletes.get());
        }
    }

    /** One round; returns what broke, or null. */
    String round(int round) throws Exception {
        AtomicBoolean pushing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(PUSHERS + 3);
        List<Future<?>> work = new ArrayList<>();
        for (int p = 0; p < PUSHERS; p++) {
            String repository = project + "/race/r" + (p % 2);
            int pusher = p;
            work.add(pool.submit(() -> {
                for (int k = 0; k < IMAGES_PER_PUSHER; k++) {
                    String tag = "r" + round + "-p" + pusher + "-" + k;
                    if (k == IMAGES_PER_PUSHER - 1) {
                        pushIndex(repository, tag);
                    } else {
                        pushImage(repository, tag);
                    }
                }
                return null;
            }));
        }
        work.add(pool.submit(() -> {
            mountAndPush(project + "/race/r0", project + "/race/mounted", "r" + round + "-m");
            return null;
        }));
        work.add(pool.submit(() -> {
            deleteSome(round);
            return null;
        }));
        Future<?> collector = pool.submit(() -> {
            while (pushing.get()) {
                gc();
                // With grace 0 every pending link is garbage at once: back-to-back runs would undo
                // each upload before its manifest arrives. Gaps let pushes through; runs still
                // land between uploads and manifests often (clean retries count them).
                Thread.sleep(100 + random.nextInt(300));
            }
            return null;
        });
        try {
            for (Future<?> f : work) {
                f.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            return "a client failed: " + e.getCause();
        } finally {
            pushing.set(false);
        }
        collector.get();
        pool.shutdown();
        gc(); // a run that starts after every push and delete has ended
        String pull = pullEverything();
        if (pull != null) {
            return pull;
        }
        return unreferencedBlobs();
    }

    // ---- clients ---------------------------------------------------------------------------------

    void pushImage(String repository, String tag) throws Exception {
        repositories.add(repository);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"nonce\":\"" + random.nextLong() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] own = bytes(1024 + random.nextInt(4096));
        byte[] layer = shared.get("shared-" + random.nextInt(shared.size()));
        String manifest = imageManifest(config, layer, own);
        for (int attempt = 1; ; attempt++) {
            upload(repository, config);
            upload(repository, layer);
            upload(repository, own);
            HttpResponse<String> put = putManifest(repository, tag, MANIFEST, manifest);
            if (put.statusCode() == 201) {
                pushed.computeIfAbsent(repository, r -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(sha256(manifest.getBytes(StandardCharsets.UTF_8)));
                return;
            }
            retryOrFail(put, attempt, "push " + repository + ":" + tag);
        }
    }

    void pushIndex(String repository, String tag) throws Exception {
        repositories.add(repository);
        for (int attempt = 1; ; attempt++) {
            List<String> children = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                byte[] config = ("{\"architecture\":\"arm64\",\"os\":\"linux\",\"nonce\":\"" + random.nextLong() + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                byte[] layer = shared.get("shared-" + random.nextInt(shared.size()));
                upload(repository, config);
                upload(repository, layer);
                String child = imageManifest(config, layer, null);
                String digest = sha256(child.getBytes(StandardCharsets.UTF_8));
                HttpResponse<String> put = putManifest(repository, digest, MANIFEST, child);
                if (put.statusCode() != 201) {
                    retryOrFail(put, attempt, "push a child of " + repository + ":" + tag);
                }
                children.add(digest);
                sizes.add(child.getBytes(StandardCharsets.UTF_8).length);
            }
            StringBuilder index = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":[");
            for (int c = 0; c < children.size(); c++) {
                index.append(c == 0 ? "" : ",").append("{\"mediaType\":\"").append(MANIFEST).append("\",\"digest\":\"")
                        .append(children.get(c)).append("\",\"size\":").append(sizes.get(c)).append("}");
            }
            index.append("]}");
            HttpResponse<String> put = putManifest(repository, tag, INDEX, index.toString());
            if (put.statusCode() == 201) {
                return;
            }
            retryOrFail(put, attempt, "push index " + repository + ":" + tag);
        }
    }

    /** Mounts a shared layer from {@code from} into {@code to} and pushes an image using it there. */
    void mountAndPush(String from, String to, String tag) throws Exception {
        repositories.add(to);
        for (int attempt = 1; ; attempt++) {
            byte[] layer = shared.get("shared-" + random.nextInt(shared.size()));
            HttpResponse<String> mount = send(HttpRequest.newBuilder(uri("/v2/" + to + "/blobs/uploads/?mount="
                    + sha256(layer) + "&from=" + from)).POST(HttpRequest.BodyPublishers.noBody()));
            if (mount.statusCode() == 201) {
                mounts.incrementAndGet();
            } else if (mount.statusCode() == 202) {
                upload(to, layer); // not mountable (gc got there first, or never pushed): upload, as clients do
            } else {
                throw new IllegalStateException("mount answered " + mount.statusCode() + ": " + mount.body());
            }
            byte[] config = ("{\"os\":\"linux\",\"nonce\":\"" + random.nextLong() + "\"}").getBytes(StandardCharsets.UTF_8);
            upload(to, config);
            HttpResponse<String> put = putManifest(to, tag, MANIFEST, imageManifest(config, layer, null));
            if (put.statusCode() == 201) {
                return;
            }
            retryOrFail(put, attempt, "push " + to + ":" + tag + " after a mount");
        }
    }

    /** Deletes manifests of earlier rounds by digest (their tags go with them). */
    void deleteSome(int round) throws Exception {
        for (Map.Entry<String, List<String>> e : pushed.entrySet()) {
            List<String> digests = e.getValue();
            while (digests.size() > 2) {
                String digest = digests.remove(0);
                HttpResponse<String> del = send(HttpRequest.newBuilder(uri("/v2/" + e.getKey() + "/manifests/" + digest))
                        .DELETE());
                if (del.statusCode() != 202 && del.statusCode() != 404) {
                    throw new IllegalStateException("delete answered " + del.statusCode() + ": " + del.body());
                }
                deletes.incrementAndGet();
            }
        }
    }

    /** A gc run with grace 0 and untagged deletion, waited for; a run already running is waited for instead. */
    void gc() throws Exception {
        HttpResponse<String> start = send(HttpRequest.newBuilder(uri("/api/v1/system/gc"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"graceSeconds\":0,\"deleteUntagged\":true}")));
        if (start.statusCode() == 409) {
            Thread.sleep(50);
            return;
        }
        if (start.statusCode() != 202) {
            throw new IllegalStateException("gc answered " + start.statusCode() + ": " + start.body());
        }
        String id = start.body().replaceAll("[^0-9]", "");
        while (true) {
            String run = send(HttpRequest.newBuilder(uri("/api/v1/system/gc/" + id)).GET()).body();
            if (run.contains("\"status\":\"succeeded\"")) {
                gcRuns.incrementAndGet();
                return;
            }
            if (!run.contains("\"status\":\"running\"")) {
                throw new IllegalStateException("gc run " + id + " did not succeed: " + run);
            }
            Thread.sleep(50);
        }
    }

    // ---- checks ----------------------------------------------------------------------------------

    /** Every tag's manifest, its children and all their blobs pull whole; returns what did not. */
    String pullEverything() throws Exception {
        for (String repository : repositories) {
            HttpResponse<String> list = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/tags/list")).GET());
            if (list.statusCode() == 404) {
                continue;
            }
            Matcher tags = Pattern.compile("\"tags\":\\[(.*?)]").matcher(list.body());
            if (!tags.find() || tags.group(1).isEmpty()) {
                continue;
            }
            for (String quoted : tags.group(1).split(",")) {
                String tag = quoted.replace("\"", "");
                String broken = pullManifest(repository, tag, new LinkedHashSet<>());
                if (broken != null) {
                    return repository + ":" + tag + ": " + broken;
                }
            }
        }
        return null;
    }

    String pullManifest(String repository, String reference, Set<String> seen) throws Exception {
        HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + reference))
                .header("Authorization", auth).header("Accept", MANIFEST + ", " + INDEX).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (got.statusCode() != 200) {
            return "manifest " + reference + " answered " + got.statusCode();
        }
        String body = new String(got.body(), StandardCharsets.UTF_8);
        if (reference.startsWith("sha256:") && !reference.equals(sha256(got.body()))) {
            return "manifest " + reference + " came back with other bytes";
        }
        Matcher m = DIGEST.matcher(body);
        List<String> digests = new ArrayList<>();
        while (m.find()) {
            digests.add(m.group(1));
        }
        for (String d : digests) {
            if (!seen.add(d)) {
                continue;
            }
            String broken = body.contains("\"mediaType\":\"" + INDEX + "\"") ? pullManifest(repository, d, seen)
                    : pullBlob(repository, d);
            if (broken != null) {
                return broken;
            }
        }
        return null;
    }

    String pullBlob(String repository, String digest) throws Exception {
        HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/" + digest))
                .header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (got.statusCode() != 200) {
            return "blob " + digest + " answered " + got.statusCode();
        }
        return digest.equals(sha256(got.body())) ? null : "blob " + digest + " came back with other bytes";
    }

    /** With a grace-0 run finished and nothing running: no blob row may lack a reference. */
    String unreferencedBlobs() throws Exception {
        String psql = System.getenv("BERTH_RACE_PSQL");
        if (psql == null) {
            return "BERTH_RACE_PSQL is not set: the check of unreferenced blobs cannot run";
        }
        Process p = new ProcessBuilder("bash", "-c", psql + " \"SELECT count(*) FROM blobs b WHERE NOT EXISTS ("
                + "SELECT 1 FROM manifest_references mr WHERE mr.digest = b.digest AND mr.kind = 'blob')\"")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || !out.matches("\\d+")) {
            return "could not ask PostgreSQL: " + out;
        }
        return out.equals("0") ? null : out + " unreferenced blobs survived a finished gc run with grace 0";
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    /** A push gc undercut fails cleanly (4xx naming an unknown blob or manifest) and is retried; anything else fails. */
    void retryOrFail(HttpResponse<String> answer, int attempt, String what) {
        boolean clean = answer.statusCode() == 400 && (answer.body().contains("BLOB_UNKNOWN")
                || answer.body().contains("MANIFEST_UNKNOWN") || answer.body().contains("MANIFEST_BLOB_UNKNOWN"));
        if (!clean || attempt >= 30) {
            throw new IllegalStateException(what + " answered " + answer.statusCode() + " (attempt " + attempt + "): "
                    + answer.body());
        }
        cleanRetries.incrementAndGet();
    }

    void upload(String repository, byte[] content) throws Exception {
        String digest = sha256(content);
        HttpResponse<String> put = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/?digest="
                + URLEncoder.encode(digest, StandardCharsets.UTF_8))).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)));
        if (put.statusCode() != 201) {
            throw new IllegalStateException("upload answered " + put.statusCode() + ": " + put.body());
        }
    }

    HttpResponse<String> putManifest(String repository, String reference, String mediaType, String body)
            throws Exception {
        return send(HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + reference))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    /**
     * One request; a 503 with {@code Retry-After} (auth slow to answer the credentials exchange under
     * this load) is sent again after the pause it asks, up to three times, as docker and skopeo do.
     * Any other 5xx fails the run.
     */
    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpRequest built = request.header("Authorization", auth).timeout(Duration.ofSeconds(60)).build();
        HttpResponse<String> answer = http.send(built, HttpResponse.BodyHandlers.ofString());
        for (int retry = 0; retry < 3 && answer.statusCode() == 503
                && answer.headers().firstValue("Retry-After").isPresent(); retry++) {
            long pause = Math.min(5, Long.parseLong(answer.headers().firstValue("Retry-After").get().trim()));
            Thread.sleep(pause * 1000);
            answer = http.send(built, HttpResponse.BodyHandlers.ofString());
        }
        if (answer.statusCode() >= 500) {
            throw new IllegalStateException(answer.request().method() + " " + answer.request().uri() + " answered "
                    + answer.statusCode() + ": " + answer.body());
        }
        return answer;
    }

    URI uri(String path) {
        return URI.create(base + path);
    }

    String imageManifest(byte[] config, byte[] layer, byte[] own) throws Exception {
        StringBuilder m = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha256(config)
                + "\",\"size\":" + config.length + "},\"layers\":[");
        m.append(layerDescriptor(layer));
        if (own != null) {
            m.append(",").append(layerDescriptor(own));
        }
        return m.append("]}").toString();
    }

    static String layerDescriptor(byte[] layer) throws Exception {
        return "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + sha256(layer) + "\",\"size\":"
                + layer.length + "}";
    }

    byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static String sha256(byte[] content) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
