package io.berth.registry.api;

import io.berth.oci.RepositoryName;
import io.berth.registry.service.ManifestService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * {@code GET /v2/<name>/tags/list?n=&last=}: the repository's tags in byte order, paginated as
 * {@link Pagination} describes. An unknown repository is NAME_UNKNOWN; one without tags answers
 * an empty list.
 */
@Path("/v2")
public class TagResource {

    /** The response body: {@code {"name": ..., "tags": [...]}}. */
    public record TagList(String name, List<String> tags) {}

    private final ManifestService manifests;

    public TagResource(ManifestService manifests) {
        this.manifests = manifests;
    }

    @GET
    @Path("{name: .+}/tags/list")
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@PathParam("name") String name, @QueryParam("n") String n,
            @QueryParam("last") String last) {
        RepositoryName repository = RepositoryName.parse(name);
        Pagination page = Pagination.of(n, last);
        List<String> rows = manifests.tags(repository, page.last(), page.probe());
        Response.ResponseBuilder response =
                Response.ok(new TagList(repository.value(), page.page(rows)));
        return page.link(response, "/v2/" + repository.value() + "/tags/list", rows).build();
    }
}
