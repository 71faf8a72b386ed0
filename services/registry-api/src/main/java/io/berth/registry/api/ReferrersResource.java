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
import java.util.List;

/**
 * {@code GET /v2/<name>/referrers/<digest>?artifactType=}: an OCI image index listing the
 * manifests of the repository whose {@code subject} is {@code <digest>} (signatures, SBOMs,
 * attestations). Always 200, an empty index when there are none, even for an unknown
 * repository: the spec forbids a 404 here. An invalid digest is DIGEST_INVALID (400).
 *
 * <p>With {@code artifactType}, only referrers of that type are listed and the answer carries
 * {@code OCI-Filters-Applied: artifactType}. The whole list is one page (no {@code Link}).
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
            @QueryParam("artifactType") String artifactType) throws JsonProcessingException {
        RepositoryName repository = RepositoryName.parse(name);
        Digest subject = Digest.parse(digest);
        String filter = artifactType == null || artifactType.isEmpty() ? null : artifactType;
        List<Referrer> referrers = manifests.referrers(repository, subject, filter);

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
        return response.build();
    }
}
