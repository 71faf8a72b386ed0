package io.berth.registry.api;

import io.berth.oci.Digest;
import io.berth.oci.Reference;
import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RepositoryName;
import io.berth.registry.config.RegistryConfig;
import io.berth.registry.metadata.StoredManifest;
import io.berth.registry.service.ManifestService;
import io.berth.registry.service.PullRecorder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code /v2/<name>/manifests/<reference>}: push (PUT), pull (GET, HEAD) and delete, where the
 * reference is a tag or a digest. The name may contain slashes, hence the regex parameter.
 * It sits on the methods, under a plain {@code /v2} class path: Quarkus REST does not match a
 * class-level template whose regex spans segments ({@code /v2/{name: .+}/manifests}).
 *
 * <p>Content negotiation: berth stores manifests as pushed and converts nothing, so a GET
 * answers the stored manifest with its own media type whatever {@code Accept} lists. A client
 * that cannot use that type learns so from {@code Content-Type}; a 404 would instead tell it
 * the manifest does not exist, and a 406 is not in the spec's contract for this endpoint.
 */
@Path("/v2")
public class ManifestResource {

    static final String PATH = "{name: .+}/manifests/{reference}";
    static final String DIGEST_HEADER = "Docker-Content-Digest";
    static final String SUBJECT_HEADER = "OCI-Subject";
    static final String TAG_HEADER = "OCI-Tag";

    private final ManifestService manifests;
    private final RegistryConfig config;
    private final PullRecorder pulls;

    public ManifestResource(ManifestService manifests, RegistryConfig config, PullRecorder pulls) {
        this.manifests = manifests;
        this.config = config;
        this.pulls = pulls;
    }

    /**
     * Stores a manifest: 201 with {@code Location} (by digest), {@code Docker-Content-Digest},
     * and {@code OCI-Subject} when the manifest has a subject (it tells the client the referrers
     * API covers it, so it need not maintain the fallback tag). A push by digest may name tags
     * as {@code ?tag=} parameters (distribution-spec v1.1, end-7b); they move with the push and
     * are confirmed in {@code OCI-Tag}. On a push by tag the parameters are not applied, which
     * the missing {@code OCI-Tag} tells the client.
     */
    @PUT
    @Path(PATH)
    public Response put(@PathParam("name") String name, @PathParam("reference") String reference,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @QueryParam("tag") List<String> tagParams,
            InputStream body) {
        RepositoryName repository = RepositoryName.parse(name);
        Reference ref = Reference.parse(reference);
        byte[] bytes = readLimited(body, config.manifestMaxBytes());
        List<String> extraTags = ref.isDigest() && tagParams != null ? tagParams : List.of();
        ManifestService.Pushed pushed = manifests.push(repository, ref, bytes, contentType, extraTags);
        Response.ResponseBuilder response = Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, location(repository, pushed.digest()))
                .header(DIGEST_HEADER, pushed.digest().toString());
        if (pushed.subject() != null) {
            response.header(SUBJECT_HEADER, pushed.subject().toString());
        }
        if (!pushed.tags().isEmpty()) {
            response.header(TAG_HEADER, String.join(", ", pushed.tags()));
        }
        return response.build();
    }

    /**
     * The exact bytes pushed, with the stored media type and the digest. Counts as a pull
     * (last_pulled_at, artifact.pulled), recorded in memory and written later. A project whose
     * vulnerability policy prevents pulls may refuse it with 403 DENIED (the pull gate,
     * {@link ManifestService#pull}); a refused GET is not a pull.
     */
    @GET
    @Path(PATH)
    public Response get(@PathParam("name") String name, @PathParam("reference") String reference) {
        RepositoryName repository = RepositoryName.parse(name);
        Reference ref = Reference.parse(reference);
        StoredManifest m = manifests.pull(repository, ref);
        pulls.record(repository, ref, m);
        return Response.ok(m.content())
                .type(m.mediaType())
                .header(DIGEST_HEADER, m.digest())
                .build();
    }

    /**
     * As GET without the body (and without reading the bytes from the database). Not a pull:
     * clients HEAD to check whether a tag moved, far more often than they download (see
     * PullRecorder). Never gated: it serves no content, and clients that check before pulling
     * (and the scanner's own resolution of a tag) rely on it.
     */
    @HEAD
    @Path(PATH)
    public Response head(@PathParam("name") String name, @PathParam("reference") String reference) {
        StoredManifest m = manifests.get(RepositoryName.parse(name), Reference.parse(reference), false);
        return Response.ok()
                .type(m.mediaType())
                .header(DIGEST_HEADER, m.digest())
                .header(HttpHeaders.CONTENT_LENGTH, m.size())
                .build();
    }

    /** By digest: the manifest and its tags; by tag: only the tag. 202 either way. */
    @DELETE
    @Path(PATH)
    public Response delete(@PathParam("name") String name, @PathParam("reference") String reference) {
        manifests.delete(RepositoryName.parse(name), Reference.parse(reference));
        return Response.accepted().build();
    }

    static String location(RepositoryName name, Digest digest) {
        return "/v2/" + name.value() + "/manifests/" + digest;
    }

    /**
     * Reads at most {@code limit} bytes. One byte more proves the body too large without
     * buffering the rest; the spec asks for 413 then (end-7a), with MANIFEST_INVALID saying why.
     */
    private static byte[] readLimited(InputStream body, int limit) {
        try (body) {
            // long arithmetic: a limit of Integer.MAX_VALUE must not overflow.
            byte[] bytes = body.readNBytes((int) Math.min((long) limit + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > limit) {
                throw new RegistryStatusException(413, RegistryErrorCode.MANIFEST_INVALID, Map.of(
                        "limit", limit,
                        "reason", "manifest is larger than the limit of " + limit + " bytes"));
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the manifest body", e);
        }
    }
}
