package io.berth.replicator.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real remote for the replicator's tests: Debian's docker-registry (CNCF distribution 2.8.2)
 * started on a free 127.0.0.1 port with its storage in a temporary directory, optionally with
 * htpasswd (bcrypt, made by {@code htpasswd -B}) and optionally serving TLS with a self-signed
 * certificate (made by openssl), or with the Docker token flow ({@link TokenService}). Stopped,
 * and its directory removed, by {@link #close()}.
 */
public final class Distribution implements AutoCloseable {

    public static final String BINARY = "/usr/bin/docker-registry";
    public static final String USER = "replicator";
    public static final String PASSWORD = "replicator-pw-1";

    private final Path dir;
    private final Process process;
    private final int port;
    private final boolean tls;
    private final TokenService tokens;

    private Distribution(Path dir, Process process, int port, boolean tls, TokenService tokens) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.tls = tls;
        this.tokens = tokens;
    }

    /** Without authentication, over plain HTTP. */
    public static Distribution open() throws Exception {
        return start(false, false, false);
    }

    /** Without authentication, over plain HTTP, refusing deletes (405 UNSUPPORTED, distribution's default). */
    public static Distribution withoutDeletes() throws Exception {
        return start(false, false, false, false);
    }

    /** With the Docker token flow: {@link #tokens()} hands out tokens, over plain HTTP. */
    public static Distribution withTokens() throws Exception {
        return start(false, false, true);
    }

    /** With htpasswd ({@link #USER}, {@link #PASSWORD}), over plain HTTP. */
    public static Distribution withPassword() throws Exception {
        return start(true, false, false);
    }

    /** With htpasswd, over TLS with a self-signed certificate for 127.0.0.1. */
    public static Distribution withTls() throws Exception {
        return start(true, true, false);
    }

    private static Distribution start(boolean htpasswd, boolean tls, boolean token) throws Exception {
        return start(htpasswd, tls, token, true);
    }

    private static Distribution start(boolean htpasswd, boolean tls, boolean token, boolean deletes) throws Exception {
        Path dir = Files.createTempDirectory("berth-replicator-distribution");
        StringBuilder config = new StringBuilder();
        int port = freePort();
        config.append("""
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("data"), deletes, port));
        if (tls) {
            run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", dir.resolve("key.pem").toString(),
                    "-out", dir.resolve("cert.pem").toString());
            config.append("""
                      tls:
                        certificate: %s
                        key: %s
                    """.formatted(dir.resolve("cert.pem"), dir.resolve("key.pem")));
        }
        if (htpasswd) {
            String line = run(dir, "htpasswd", "-Bbn", USER, PASSWORD).trim();
            Files.writeString(dir.resolve("htpasswd"), line + "\n");
            config.append("""
                    auth:
                      htpasswd:
                        realm: berth-test
                        path: %s
                    """.formatted(dir.resolve("htpasswd")));
        }
        TokenService tokens = null;
        if (token) {
            Path signing = Files.createDirectory(dir.resolve("signing"));
            run(signing, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=tokens",
                    "-keyout", signing.resolve("key.pem").toString(), "-out", signing.resolve("cert.pem").toString());
            tokens = new TokenService(signing);
            config.append("""
                    auth:
                      token:
                        realm: %s
                        service: %s
                        issuer: %s
                        rootcertbundle: %s
                    """.formatted(tokens.realm(), TokenService.SERVICE, TokenService.ISSUER, signing.resolve("cert.pem")));
        }
        Files.writeString(dir.resolve("config.yml"), config.toString());
        Process p = new ProcessBuilder(BINARY, "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        Distribution d = new Distribution(dir, p, port, tls, tokens);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return d;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        String log = Files.readString(dir.resolve("registry.log"));
        d.close();
        throw new IllegalStateException("docker-registry did not start: " + log);
    }

    /** A port nothing listens on (bound, then released). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + err);
        }
        return out;
    }

    public String url() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + port;
    }

    /** The token service of a registry made by {@link #withTokens()}. */
    public TokenService tokens() {
        return tokens;
    }

    @Override
    public void close() throws Exception {
        if (tokens != null) {
            tokens.close();
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
