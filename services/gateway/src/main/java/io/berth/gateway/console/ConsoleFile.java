package io.berth.gateway.console;

import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * One file of the console in memory, with its precompressed variants: what the gateway answers
 * for it, whichever encoding the client takes.
 *
 * @param contentType the {@code Content-Type}, with {@code charset=utf-8} on text
 * @param compressible whether its type is text that compresses (it varies by
 *        {@code Accept-Encoding} even with no variant on the classpath)
 * @param identity the bytes as they are
 * @param gzip the {@code .gz} beside it, or null
 * @param br the {@code .br} beside it, or null
 */
public record ConsoleFile(String contentType, boolean compressible, Representation identity, Representation gzip,
        Representation br) {

    /**
     * One encoding of a file: its bytes, its {@code Content-Encoding} (null for identity) and a
     * strong {@code ETag} made from the bytes, so each encoding has its own (RFC 9110 8.8.3).
     */
    public record Representation(Buffer bytes, String coding, String etag) {

        static Representation of(byte[] bytes, String coding) {
            return new Representation(Buffer.buffer(bytes), coding, "\"" + sha256(bytes).substring(0, 32) + "\"");
        }
    }

    private static final String UTF8 = "; charset=utf-8";

    /** Types by extension; text carries its charset. Anything else is {@code application/octet-stream}. */
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html" + UTF8),
            Map.entry("js", "text/javascript" + UTF8),
            Map.entry("mjs", "text/javascript" + UTF8),
            Map.entry("css", "text/css" + UTF8),
            Map.entry("svg", "image/svg+xml" + UTF8),
            Map.entry("txt", "text/plain" + UTF8),
            // RFC 8259 defines no charset for JSON: it is UTF-8.
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("woff", "font/woff"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("webp", "image/webp"),
            Map.entry("wasm", "application/wasm"));

    /** The text types a build precompresses (console/ writes .gz and .br beside each). */
    private static final java.util.Set<String> COMPRESSIBLE = java.util.Set.of("html", "js", "mjs", "css", "svg", "txt",
            "json", "map", "webmanifest");

    /** The file {@code name}, with the variants found beside it (null if none). */
    static ConsoleFile of(String name, byte[] identity, byte[] gzip, byte[] br) {
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return new ConsoleFile(TYPES.getOrDefault(extension, "application/octet-stream"),
                COMPRESSIBLE.contains(extension), Representation.of(identity, null),
                gzip == null ? null : Representation.of(gzip, "gzip"), br == null ? null : Representation.of(br, "br"));
    }

    /** Whether the answer depends on {@code Accept-Encoding}. */
    public boolean varies() {
        return compressible || gzip != null || br != null;
    }

    /** Brotli if the client takes it and there is a variant, else gzip likewise, else the bytes as they are. */
    public Representation pick(AcceptEncoding accepted) {
        if (br != null && accepted.allows("br")) {
            return br;
        }
        if (gzip != null && accepted.allows("gzip")) {
            return gzip;
        }
        return identity;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
