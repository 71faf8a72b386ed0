package io.berth.registry.api;

import io.berth.registry.metadata.CatalogRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * {@code GET /v2/_catalog?n=&last=}: every repository's name in byte order, paginated as
 * {@link Pagination} describes. Issue #4 restricts it to administrators. A read-only list with
 * no rules of its own, so it reads the repository directly, without a service.
 */
@Path("/v2")
public class CatalogResource {

    /** The response body: {@code {"repositories": [...]}}. */
    public record Catalog(List<String> repositories) {}

    private final CatalogRepository catalog;

    public CatalogResource(CatalogRepository catalog) {
        this.catalog = catalog;
    }

    @GET
    @Path("_catalog")
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("n") String n, @QueryParam("last") String last) {
        Pagination page = Pagination.of(n, last);
        List<String> rows = page.limit() == 0 ? List.of() : catalog.list(page.last(), page.probe());
        return page.link(Response.ok(new Catalog(page.page(rows))), "/v2/_catalog", rows).build();
    }
}
