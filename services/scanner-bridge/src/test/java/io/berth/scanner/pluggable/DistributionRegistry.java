package io.berth.scanner.pluggable;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real registry for tests: Debian's docker-registry (CNCF distribution 2.8.2) on a free
 * 127.0.0.1 port, its storage in a temporary directory, htpasswd (bcrypt) auth for one user, and
 * a push over plain HTTP (monolithic blob uploads, then the manifest). Stopped by PID.
 * {@link #startOpen()} starts one without auth, for clients that bring a bearer token of their
 * own which distribution cannot verify (scanner-bridge's SBOM publication).
 */
public final class DistributionRegistry implements AutoCloseable {

    static final String BINARY = "/usr/bin/docker-registry";
    public static final String USER = "pusher";
    public static final String PASSWORD = "pusher-pw-1";

    private final Path dir;
    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DistributionRegistry(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    public static DistributionRegistry start() throws Exception {
        return start(true);
    }

    /** A registry that asks for no credentials. */
    public static DistributionRegistry startOpen() throws Exception {
        return start(false);
    }

    private static DistributionRegistry start(boolean withAuth) throws Exception {
        Path dir = Files.createTempDirectory("berth-distribution");
        Process htpasswd = new ProcessBuilder("htpasswd", "-Bbn", USER, PASSWORD).redirectErrorStream(true).start();
        String line = new String(htpasswd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (htpasswd.waitFor() != 0 || !line.startsWith(USER + ":")) {
            throw new IllegalStateException("htpasswd failed: " + line);
        }
        Files.writeString(dir.resolve("htpasswd"), line + "\n");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("config.yml"), """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("data"), port) + (withAuth ? """
                auth:
                  htpasswd:
                    realm: berth-test
                    path: %s
                """.formatted(dir.resolve("htpasswd")) : ""));
        Process p = new ProcessBuilder(BINARY, "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        DistributionRegistry registry = new DistributionRegistry(dir, p, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> r = registry.http.send(HttpRequest.newBuilder(registry.uri("/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == (withAuth ? 401 : 200)) {
                    return registry;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        registry.close();
        throw new IllegalStateException("docker-registry did not start: " + Files.readString(dir.resolve("registry.log")));
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    URI uri(String path) {
        return URI.create(url() + path);
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Pushes {@code blob} into {@code repository}; returns its digest. */
    public String pushBlob(String repository, byte[] blob) throws Exception {
        String digest = sha256(blob);
        HttpResponse<String> start = http.send(HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/"))
                .header("Authorization", basic(USER, PASSWORD)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (start.statusCode() != 202) {
            throw new IllegalStateException("upload start: " + start.statusCode() + " " + start.body());
        }
        String location = start.headers().firstValue("Location").orElseThrow();
        URI put = uri("/").resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(put).header("Authorization", basic(USER, PASSWORD))
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(blob))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (done.statusCode() != 201) {
            throw new IllegalStateException("upload: " + done.statusCode() + " " + done.body());
        }
        return digest;
    }

    /** Pushes {@code manifest} under {@code tag}; returns its digest. */
    public String pushManifest(String repository, String tag, String mediaType, byte[] manifest) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + tag))
                .header("Authorization", basic(USER, PASSWORD)).header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("manifest: " + r.statusCode() + " " + r.body());
        }
        return sha256(manifest);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
