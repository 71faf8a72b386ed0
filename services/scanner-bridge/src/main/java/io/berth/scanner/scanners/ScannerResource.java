package io.berth.scanner.scanners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.scanner.adapter.AdapterException;
import io.berth.scanner.adapter.AdapterMetadata;
import io.berth.scanner.adapter.AuthKind;
import io.berth.scanner.pluggable.BuiltinMetadata;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scanner registry, for system administrators ({@link io.berth.scanner.security.AdminFilter}); docs/scanners.md:
 *
 * <ul>
 *   <li>{@code GET /api/v1/scanners}: every scanner, the built-in one included.
 *   <li>{@code POST}: registers an adapter ({@code name, url, auth, secret, insecure, description});
 *       its metadata is read first, and a URL that does not answer the spec is 400 saying why; 409 for a taken name.
 *   <li>{@code GET|PUT|DELETE /{name}}: read, change (the metadata is read again when the URL or
 *       credentials change), delete (not the built-in scanner nor the default: 409).
 *   <li>{@code POST /{name}/default}: the system default.
 *   <li>{@code GET /{name}/metadata}: the scanner's metadata, read now from the adapter (503 if it cannot be).
 * </ul>
 * A secret is never in an answer: {@code secretSet} says whether one is stored.
 */
@Path("/api/v1/scanners")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ScannerResource {

    private static final Set<String> FIELDS = Set.of("name", "url", "auth", "secret", "insecure", "description");
    private static final Set<String> UPDATE_FIELDS = Set.of("name", "url", "auth", "secret", "insecure", "description",
            "disabled");

    private final ScannerRegistry registry;
    private final BuiltinMetadata builtin;
    private final ObjectMapper json;

    public ScannerResource(ScannerRegistry registry, BuiltinMetadata builtin, ObjectMapper json) {
        this.registry = registry;
        this.builtin = builtin;
        this.json = json;
    }

    @GET
    public List<Map<String, Object>> list() {
        return registry.list().stream().map(ScannerRequests::view).toList();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response register(String body) {
        JsonNode node = ScannerRequests.object(json, body, FIELDS);
        String name = ScannerRequests.name(node.path("name").isTextual() ? node.path("name").asText() : null);
        String url = ScannerRequests.url(node.path("url").isTextual() ? node.path("url").asText() : null);
        AuthKind auth = ScannerRequests.auth(node, AuthKind.NONE);
        String secret = ScannerRequests.secret(node, auth);
        if (auth != AuthKind.NONE && secret == null) {
            throw ApiException.badRequest("auth " + auth.wire() + " needs a secret");
        }
        ScannerRow row = registry.register(new ScannerRegistry.Registration(name, url, auth, secret,
                ScannerRequests.bool(node, "insecure", false),
                ScannerRequests.text(node, "description", null, ScannerRequests.MAX_DESCRIPTION)));
        return Response.status(Response.Status.CREATED).entity(ScannerRequests.view(row))
                .header("Location", "/api/v1/scanners/" + row.name()).build();
    }

    @GET
    @Path("{name}")
    public Map<String, Object> get(@PathParam("name") String name) {
        return ScannerRequests.view(row(name));
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> update(@PathParam("name") String name, String body) {
        ScannerRow current = row(name);
        JsonNode node = ScannerRequests.object(json, body, UPDATE_FIELDS);
        if (node.has("name") && !name.equals(node.path("name").asText())) {
            throw ApiException.badRequest("a scanner cannot be renamed; register it under the new name");
        }
        String description = ScannerRequests.text(node, "description", current.description(),
                ScannerRequests.MAX_DESCRIPTION);
        if (current.builtin()) {
            for (String f : List.of("url", "auth", "secret", "insecure", "disabled")) {
                if (node.has(f)) {
                    throw ApiException.badRequest("the built-in scanner's " + f + " cannot be changed; only its description");
                }
            }
            return ScannerRequests.view(registry.describeBuiltin(current, description));
        }
        String url = node.has("url") ? ScannerRequests.url(node.path("url").isTextual() ? node.path("url").asText() : null)
                : current.url();
        AuthKind auth = ScannerRequests.auth(node, current.auth());
        String secret = ScannerRequests.secret(node, auth);
        ScannerRow row = registry.update(current, new ScannerRegistry.Registration(name, url, auth, secret,
                ScannerRequests.bool(node, "insecure", current.insecure()), description),
                ScannerRequests.bool(node, "disabled", current.disabled()));
        return ScannerRequests.view(row);
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        registry.delete(row(name));
        return Response.noContent().build();
    }

    @POST
    @Path("{name}/default")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> makeDefault(@PathParam("name") String name) {
        return ScannerRequests.view(registry.makeDefault(row(name)));
    }

    @GET
    @Path("{name}/metadata")
    public Map<String, Object> metadata(@PathParam("name") String name) {
        ScannerRow row = row(name);
        if (row.builtin()) {
            return builtin.document();
        }
        AdapterMetadata m;
        try {
            m = registry.metadata(row);
        } catch (AdapterException e) {
            throw new ApiException(ApiErrorCode.UNAVAILABLE, "scanner " + name + "'s metadata cannot be read now ("
                    + e.reason().name().toLowerCase() + "): " + e.getMessage(), 30);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> scanner = new LinkedHashMap<>();
        scanner.put("name", m.name());
        scanner.put("vendor", m.vendor());
        scanner.put("version", m.version());
        out.put("scanner", scanner);
        out.put("capabilities", m.capabilities().stream().map(c -> {
            Map<String, Object> cap = new LinkedHashMap<>();
            cap.put("type", c.type());
            cap.put("consumes_mime_types", c.consumes());
            cap.put("produces_mime_types", c.produces());
            if (!c.sbomMediaTypes().isEmpty()) {
                cap.put("additional_attributes", Map.of("sbom_media_types", c.sbomMediaTypes()));
            }
            return cap;
        }).toList());
        out.put("properties", m.properties());
        return out;
    }

    private ScannerRow row(String name) {
        return registry.find(name).orElseThrow(() -> ApiException.notFound("no scanner " + name));
    }
}
