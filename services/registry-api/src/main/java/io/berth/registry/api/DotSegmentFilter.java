package io.berth.registry.api;

import io.berth.errors.WireErrors;
import io.berth.oci.RegistryErrorCode;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Map;

/**
 * Refuses {@code /v2/} paths with a {@code .} or {@code ..} segment (also percent-encoded, such
 * as {@code %2e%2e}) as NAME_INVALID. Vert.x removes dot segments before routing, so without this
 * {@code /v2/team/%2e%2e/app/blobs/...} would silently act on repository {@code app}, and
 * {@code /v2/%2e%2e/...} would miss every route; no repository name contains such a segment.
 */
public class DotSegmentFilter {

    /** Before routing, so it sees the path as the client sent it. */
    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String raw = rc.request().path();
            if (raw != null && raw.startsWith("/v2/") && hasDotSegment(raw)) {
                var code = RegistryErrorCode.NAME_INVALID;
                rc.response().setStatusCode(code.status())
                        .putHeader("Content-Type", "application/json")
                        .end(WireErrors.oci(code, Map.of("reason", "a repository name has no '.' or '..' path segments"))
                                .json());
            } else {
                rc.next();
            }
        }, 100);
    }

    static boolean hasDotSegment(String rawPath) {
        for (String segment : rawPath.split("/", -1)) {
            String s = segment.toLowerCase(Locale.ROOT).replace("%2e", ".");
            if (s.equals(".") || s.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
