package io.berth.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The repository whose deployment files the tests check: the directory above this module (or
 * {@code -Dberth.root=...}, which lets a test point at a copy). A file the tests need that does
 * not exist fails the test: these checks never skip.
 */
final class Repo {

    static final String[] SERVICES = {"gateway", "registry-api", "auth", "replicator", "gc", "scanner-bridge"};

    private Repo() {}

    static Path root() {
        String configured = System.getProperty("berth.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("services")) && Files.isRegularFile(p.resolve("berth"))) {
                return p;
            }
        }
        throw new IllegalStateException("no berth repository above " + start);
    }

    /** A file or directory of the repository that must exist. */
    static Path path(String relative) {
        Path p = root().resolve(relative);
        assertTrue(Files.exists(p), relative + " does not exist in " + root());
        return p;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String relative) {
        return read(path(relative));
    }

    /** A {@code KEY=value} file (k8s/base/config/*.env), in file order; comments and blank lines skipped. */
    static Map<String, String> envFile(Path file) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : read(file).split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                fail(file + ": not a KEY=value line: " + line);
            }
            env.put(l.substring(0, eq), l.substring(eq + 1));
        }
        return env;
    }
}
