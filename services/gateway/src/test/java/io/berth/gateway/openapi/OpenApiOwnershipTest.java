package io.berth.gateway.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.gateway.config.GatewayConfig;
import io.berth.gateway.proxy.RouteTable;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The route table (application.properties) and the services' OpenAPI documents
 * (docs/openapi/, each kept equal to what its service serves) say the same about who owns each
 * path: every path a service declares is routed to that service, every route leads to paths its
 * service declares, and /api/v1 paths nobody declares are routed nowhere.
 */
@QuarkusTest
class OpenApiOwnershipTest {

    /** A path parameter's stand-in: a project, a repository, a digest, a tag, a robot. */
    private static final Pattern PARAMETER = Pattern.compile("\\{[^}]+}");

    @Inject
    GatewayConfig config;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyUpstreamHasItsDocument() {
        for (String upstream : config.upstreams().keySet()) {
            assertNotNull(MergedOpenApi.read(json, upstream), "no docs/openapi/" + upstream + ".json");
        }
    }

    @Test
    void everyDeclaredPathIsRoutedToTheServiceThatDeclaresIt() {
        RouteTable routes = routes();
        List<String> wrong = new ArrayList<>();
        documents().forEach((service, doc) -> doc.path("paths").fieldNames().forEachRemaining(template -> {
            for (String path : instances(template)) {
                Optional<String> routed = routes.upstreamFor(path);
                if (!routed.equals(Optional.of(service))) {
                    wrong.add(service + " declares " + template + ", but " + path + " is routed to "
                            + routed.orElse("no service"));
                }
            }
        }));
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyRouteLeadsToPathsItsServiceDeclares() {
        Map<String, JsonNode> documents = documents();
        for (GatewayConfig.Route route : config.routes()) {
            Pattern pattern = Pattern.compile(route.path());
            JsonNode doc = documents.get(route.upstream());
            assertNotNull(doc, "route " + route.path() + " leads to " + route.upstream() + ", which has no document");
            List<String> declared = new ArrayList<>();
            doc.path("paths").fieldNames().forEachRemaining(declared::add);
            assertTrue(declared.stream().flatMap(t -> instances(t).stream()).anyMatch(p -> pattern.matcher(p).matches()),
                    "route " + route.path() + " leads to " + route.upstream() + ", whose document declares no path"
                            + " it matches: " + declared);
        }
    }

    @Test
    void apiPathsNobodyDeclaresAreTheGatewaysOwn() {
        RouteTable routes = routes();
        for (String path : List.of(MergedOpenApi.PATH, "/api/v1", "/api/v1/", "/api/v1/nothing-here",
                "/api/v1/repositories", "/api/v2/projects")) {
            assertEquals(Optional.empty(), routes.upstreamFor(path), path + " is routed to a service");
        }
    }

    private RouteTable routes() {
        return new RouteTable(config.routes(), config.upstreams().keySet());
    }

    private Map<String, JsonNode> documents() {
        Map<String, JsonNode> documents = new TreeMap<>();
        for (String upstream : config.upstreams().keySet()) {
            JsonNode doc = MergedOpenApi.read(json, upstream);
            if (doc != null) {
                documents.put(upstream, doc);
            }
        }
        assertFalse(documents.isEmpty(), "no OpenAPI documents on the classpath (docs/openapi/ copied at build)");
        return documents;
    }

    /**
     * Concrete paths for a template: its parameters filled with one plain segment, and with
     * segments that look like the route table's own words, so a route that matched a parameter
     * by accident (a project called "repositories") shows. A {@code /v2} {@code {name}} may hold
     * slashes, so it also gets a two-segment name.
     */
    private static List<String> instances(String template) {
        List<String> out = new ArrayList<>();
        for (String value : List.of("p1", "repositories", "members", "v2")) {
            out.add(PARAMETER.matcher(template).replaceAll(value));
        }
        if (template.startsWith("/v2/{name}")) {
            out.add(template.replace("{name}", "team/app").replaceAll("\\{[^}]+}", "x"));
        }
        return out;
    }
}
