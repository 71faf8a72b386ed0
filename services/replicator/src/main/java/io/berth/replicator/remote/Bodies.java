package io.berth.replicator.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Reading what a remote answered, for {@link RegistryClient}'s checks and error messages. */
final class Bodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Bodies() {}

    /** At most 4 KiB of an answer's body, for error messages; the body is closed. */
    static String text(HttpResponse<?> r) {
        if (r.body() instanceof InputStream in) {
            try (in) {
                return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }
        return r.body() instanceof String s ? s : "";
    }

    static void discard(HttpResponse<?> r) {
        if (r.body() instanceof InputStream in) {
            closeQuietly(in);
        }
    }

    /** ": <the first error's message>" of a distribution error body, or "". */
    static String message(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode e = JSON.readTree(body).path("errors").path(0);
            String code = e.path("code").asText("");
            String m = e.path("message").asText("");
            return code.isEmpty() && m.isEmpty() ? "" : ": " + (code + " " + m).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    static boolean jsonObject(String body) {
        try {
            return JSON.readTree(body).isObject();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing more to read
        }
    }
}
