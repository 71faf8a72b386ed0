package io.berth.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.errors.Surface;
import io.berth.errors.WireError;
import io.berth.errors.WireErrors;
import io.berth.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Serves the OpenAPI document of all of berth at {@value #PATH} on the gateway's public ports,
 * without credentials: it describes the API, not data (as Harbor serves its swagger;
 * docs/security.md). It is merged ({@link OpenApiMerge}) at start from the documents of the
 * services this gateway was built with: {@code openapi/<upstream>.json} on the classpath, copied
 * from docs/openapi/ at build, which each service's OpenApiDocumentTest keeps equal to what the
 * service serves. An upstream without a document is left out with a warning.
 *
 * <p>It also answers every other {@code /api/v1} path no route sends to a service: 404 with
 * {@code {"errors":[{"code":"NOT_FOUND","message":...}]}}, the shape of {@code /api/v1}.
 */
@ApplicationScoped
public class MergedOpenApi {

    /** Where the merged document is served. The route table must not send it to a service. */
    public static final String PATH = "/api/v1/openapi";

    private static final Logger LOG = Logger.getLogger(MergedOpenApi.class);

    private final String document;

    public MergedOpenApi(GatewayConfig config, ObjectMapper json) {
        Map<String, JsonNode> documents = new LinkedHashMap<>();
        for (String upstream : new TreeSet<>(config.upstreams().keySet())) {
            JsonNode doc = read(json, upstream);
            if (doc == null) {
                LOG.warnf("upstream %s has no OpenAPI document (openapi/%s.json); %s leaves it out",
                        upstream, upstream, PATH);
            } else {
                documents.put(upstream, doc);
            }
        }
        try {
            this.document = json.writerWithDefaultPrettyPrinter().writeValueAsString(OpenApiMerge.merge(documents));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The OpenAPI document the gateway was built with for {@code service}, or null if none. */
    public static JsonNode read(ObjectMapper json, String service) {
        try (InputStream in = MergedOpenApi.class.getClassLoader().getResourceAsStream("openapi/" + service + ".json")) {
            return in == null ? null : json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("openapi/" + service + ".json is not JSON", e);
        }
    }

    void install(@Observes Router router) {
        // After the proxy (order -1000): it sends on whatever the route table matches.
        router.get(PATH).handler(this::serve);
        router.route("/api/v1/*").order(1000).handler(MergedOpenApi::notFound);
    }

    private void serve(RoutingContext ctx) {
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=300")
                .end(document);
    }

    private static void notFound(RoutingContext ctx) {
        WireError answer = WireErrors.forStatus(Surface.API, 404,
                "no API at " + ctx.request().path() + "; the API is described at " + PATH, null);
        ctx.response().setStatusCode(answer.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(answer.json());
    }
}
