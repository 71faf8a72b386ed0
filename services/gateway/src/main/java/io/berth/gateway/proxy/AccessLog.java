package io.berth.gateway.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * One JSON line per request on the logger {@code berth.access}: time, method, path, status,
 * bytes in and out, duration, principal, client IP, upstream instance and trace id. The query
 * string is left out (it can hold upload state), and so is every credential: the principal is
 * the name in Basic credentials or the {@code sub} of a bearer token, read without checking
 * it (registry-api and auth do the checking).
 */
public final class AccessLog {

    private static final Logger LOG = Logger.getLogger("berth.access");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one request did. */
    public record Entry(String method, String path, int status, long bytesIn, long bytesOut, long durationMicros,
            String principal, String clientIp, String upstream, String traceId) {}

    private AccessLog() {}

    public static void write(Entry e) {
        ObjectNode line = JSON.createObjectNode();
        line.put("time", Instant.now().toString());
        line.put("method", e.method());
        line.put("path", e.path());
        line.put("status", e.status());
        line.put("bytes_in", e.bytesIn());
        line.put("bytes_out", e.bytesOut());
        line.put("duration_ms", e.durationMicros() / 1000.0);
        line.put("principal", e.principal());
        line.put("client_ip", e.clientIp());
        line.put("upstream", e.upstream());
        line.put("trace_id", e.traceId());
        LOG.info(line.toString());
    }

    /**
     * The line of the request of {@code ctx}, answered by {@code upstream} (an instance's
     * address, or the gateway's own part such as {@code console}), begun at {@code startNanos}.
     */
    public static void write(RoutingContext ctx, long startNanos, String clientIp, String upstream, String traceId) {
        HttpServerRequest req = ctx.request();
        write(new Entry(req.method().name(), req.path(), ctx.response().getStatusCode(), req.bytesRead(),
                ctx.response().bytesWritten(), (System.nanoTime() - startNanos) / 1000,
                principal(req.getHeader(HttpHeaders.AUTHORIZATION)), clientIp, upstream, traceId));
    }

    /** The name an {@code Authorization} header claims, or null; never the secret. */
    public static String principal(String authorization) {
        if (authorization == null) {
            return null;
        }
        try {
            if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon > 0 ? decoded.substring(0, colon) : null;
            }
            if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String[] parts = authorization.substring(7).trim().split("\\.");
                if (parts.length == 3) {
                    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
                    JsonNode name = claims.hasNonNull("preferred_username") ? claims.get("preferred_username") : claims.get("sub");
                    return name == null || name.asText().isEmpty() ? null : name.asText();
                }
            }
        } catch (Exception e) {
            // Not decodable: no principal to log.
        }
        return null;
    }
}
