package io.berth.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One line per blob download (configs and layers), for questions the percentiles cannot
 * answer, such as whether the slow pulls share connections:
 * {@code registry local-port bytes start-ms milliseconds}. The local port names the client's
 * connection; the start counts from the trace's opening. {@code --trace FILE}; off by default.
 */
final class Trace implements AutoCloseable {

    /** Records nothing. */
    static final Trace OFF = new Trace(null);

    private final PrintStream out;
    private final long t0 = System.nanoTime();

    private Trace(PrintStream out) {
        this.out = out;
    }

    static Trace to(Path file) {
        if (file == null) {
            return OFF;
        }
        try {
            return new Trace(new PrintStream(Files.newOutputStream(file), false, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean on() {
        return out != null;
    }

    /** A download of {@code bytes} on the connection from {@code localPort}, started at {@code startNanos}. */
    void download(String registry, int localPort, long bytes, long startNanos, long endNanos) {
        if (out == null) {
            return;
        }
        String line = String.format(Locale.ROOT, "%s %d %d %.1f %.1f", registry, localPort, bytes,
                (startNanos - t0) / 1e6, (endNanos - startNanos) / 1e6);
        synchronized (out) {
            out.println(line);
        }
    }

    @Override
    public void close() {
        if (out != null) {
            out.close();
        }
    }
}
