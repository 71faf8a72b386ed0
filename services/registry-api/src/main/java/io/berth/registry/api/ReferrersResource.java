package io.berth.registry.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.oci.RepositoryName;
import io.berth.registry.metadata.Referrer;
import io.berth.registry.service.ManifestService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /v2/<name>/referrers/<digest>?artifactType=}: an OCI image index listing the
 * manifests of the repository whose {@code subject} is {@code <digest>} (signatures, SBOMs,
 * attestations). Always 200, an empty index when there are none, even for an unknown
 * repository: the spec forbids a 404 here. An invalid digest is DIGEST_INVALID (400).
 *
 * <p>With {@code artifactType}, only referrers of that type are listed and the answer carries
 * {@code OCI-Filters-Applied: artifactType}. A long list comes in pages of at most
 * {@link Pagination#MAX_PAGE} (or {@code n}) descriptors in digest order, each but the last with
 * a {@code Link: <...>; rel="next"}, as the spec requires when one index cannot hold them all.
 */
@Path("/v2")
public class ReferrersResource {

    static final String FILTERS_HEADER = "OCI-Filters-Applied";

    private final ManifestService manifests;
    private final ObjectMapper json;

    public ReferrersResource(ManifestService manifests, ObjectMapper json) {
        this.manifests = manifests;
        this.json = json;
    }

    @GET
    @Path("{name: .+}/referrers/{digest}")
    public Response list(@PathParam("name") String name, @PathParam("digest") String digest,
            @QueryParam("artifactType") String artifactType, @QueryParam("n") String n,
            @QueryParam("last") String last) throws JsonProcessingException {
        RepositoryName repository = RepositoryName.parse(name);
        Digest subject = Digest.parse(digest);
        String filter = artifactType == null || artifactType.isEmpty() ? null : artifactType;
        Pagination pages = Pagination.of(n, last);
        List<Referrer> rows = pages.limit() == 0 ? List.of()
                : manifests.referrers(repository, subject, filter, pages.last(), pages.probe());
        List<Referrer> referrers = pages.page(rows);

        // Built as a tree so absent fields are omitted (an index without artifactType, a
        // manifest without annotations), as the spec's example shows.
        ObjectNode index = json.createObjectNode()
                .put("schemaVersion", 2)
                .put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode list = index.putArray("manifests");
        for (Referrer r : referrers) {
            ObjectNode d = list.addObject()
                    .put("mediaType", r.mediaType())
                    .put("digest", r.digest())
                    .put("size", r.size());
            if (r.artifactType() != null) {
                d.put("artifactType", r.artifactType());
            }
            if (r.annotationsJson() != null) {
                d.set("annotations", json.readTree(r.annotationsJson()));
            }
        }
        Response.ResponseBuilder response = Response.ok(json.writeValueAsBytes(index))
                .type(MediaTypes.OCI_INDEX);
        if (filter != null) {
            response.header(FILTERS_HEADER, "artifactType");
        }
        String extra = filter == null ? "" : "&artifactType=" + URLEncoder.encode(filter, StandardCharsets.UTF_8);
        return pages.link(response, "/v2/" + repository.value() + "/referrers/" + subject,
                rows.stream().map(Referrer::digest).toList(), extra).build();
    }
}
