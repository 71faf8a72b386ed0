package io.berth.registry.api;

import io.berth.oci.Digest;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.registry.metadata.ArtifactSummary;
import io.berth.registry.metadata.Page;
import io.berth.registry.metadata.RepositorySummary;
import io.berth.registry.security.Caller;
import io.berth.registry.security.CurrentCaller;
import io.berth.registry.service.BrowseService;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;

/**
 * The browsing API for people and the console (docs/adr/0010-browsing-api.md), JSON in
 * camelCase. Listings take {@code ?page=&page_size=} ({@link PageRequest}) and answer the total
 * in {@code X-Total-Count}; errors are the management API's ({@code ApiErrorBody}, libs/errors).
 *
 * <ul>
 *   <li>{@code GET /api/v1/projects/{project}/repositories}: a JSON array of
 *       {@link RepositorySummary} ({@code name, artifactCount, tagCount, totalSize,
 *       lastPushedAt, createdAt}), by name; only the repositories the caller may read.
 *   <li>{@code GET .../repositories/{repository}/artifacts}: a JSON array of
 *       {@link ArtifactSummary} ({@code digest, mediaType, artifactType, tags, size, totalSize,
 *       pushedAt, lastPulledAt, subject, children, scan}), newest push first; {@code scan} is
 *       scanner-bridge's {@code {status, summary, scanner, updatedAt}} or null if never scanned.
 *   <li>{@code DELETE .../artifacts/{digest}}: the artifact and its tags; 204.
 *   <li>{@code DELETE .../artifacts/{digest}/tags/{tag}}: the tag, if it points at that
 *       artifact; 204.
 *   <li>{@code DELETE .../repositories/{repository}}: the repository with all its artifacts,
 *       tags and blob links; 204. What only it held no longer counts against the quota.
 * </ul>
 *
 * Deletes of an immutable tag, of an artifact an immutable tag points at, or of a repository
 * holding one are 403 FORBIDDEN naming the rule; while berth is read-only every delete is 503
 * UNAVAILABLE.
 *
 * {@code {repository}} is the path inside the project ({@code app/web} for
 * {@code team/app/web}). Timestamps are ISO-8601 in UTC, absent values null. Access is decided
 * from the token alone before anything is looked up (403 FORBIDDEN), so a refused caller learns
 * nothing about what exists; then unknown names are 404 NOT_FOUND. The regex paths sit on the
 * methods, as in {@link ManifestResource}, because Quarkus REST does not match a class-level
 * template whose regex spans segments.
 */
@Path("/api/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
public class BrowseResource {

    private static final String REPOSITORY = "{project}/repositories/{repository: .+}";

    private final BrowseService browse;
    private final CurrentCaller caller;

    public BrowseResource(BrowseService browse, CurrentCaller caller) {
        this.browse = browse;
        this.caller = caller;
    }

    @GET
    @Path("{project}/repositories")
    public Response repositories(@PathParam("project") String project,
            @QueryParam("page") String page, @QueryParam("page_size") String pageSize) {
        PageRequest request = PageRequest.of(page, pageSize);
        Set<String> only = caller.get().readableIn(project);
        if (only != null && only.isEmpty()) {
            throw ManagementException.forbidden(
                    "the token grants pull on no repository of project " + project);
        }
        Page<RepositorySummary> rows = browse.repositories(project, only, request.offset(), request.size())
                .orElseThrow(() -> ManagementException.notFound("project " + project + " not found"));
        return page(rows);
    }

    @GET
    @Path(REPOSITORY + "/artifacts")
    public Response artifacts(@PathParam("project") String project,
            @PathParam("repository") String repository,
            @QueryParam("page") String page, @QueryParam("page_size") String pageSize) {
        PageRequest request = PageRequest.of(page, pageSize);
        RepositoryName name = name(project, repository);
        if (!caller.get().mayRead(name.value())) {
            throw ManagementException.forbidden("the token does not grant pull on " + name.value());
        }
        Page<ArtifactSummary> rows = browse.artifacts(name, request.offset(), request.size())
                .orElseThrow(() -> notFound(name));
        return page(rows);
    }

    @DELETE
    @Path(REPOSITORY)
    public Response deleteRepository(@PathParam("project") String project,
            @PathParam("repository") String repository) {
        RepositoryName name = mayDelete(project, repository);
        try {
            browse.deleteRepository(name);
        } catch (RegistryException e) {
            throw ManagementException.from(e, "repository " + name.value() + " not found");
        }
        return Response.noContent().build();
    }

    @DELETE
    @Path(REPOSITORY + "/artifacts/{digest}")
    public Response deleteArtifact(@PathParam("project") String project,
            @PathParam("repository") String repository, @PathParam("digest") String digest) {
        RepositoryName name = mayDelete(project, repository);
        Digest d = parse(() -> Digest.parse(digest));
        try {
            browse.deleteArtifact(name, d);
        } catch (RegistryException e) {
            throw ManagementException.from(e, "artifact " + d + " not found in " + name.value());
        }
        return Response.noContent().build();
    }

    @DELETE
    @Path(REPOSITORY + "/artifacts/{digest}/tags/{tag}")
    public Response deleteTag(@PathParam("project") String project,
            @PathParam("repository") String repository, @PathParam("digest") String digest,
            @PathParam("tag") String tag) {
        RepositoryName name = mayDelete(project, repository);
        Digest d = parse(() -> Digest.parse(digest));
        Tag t = parse(() -> Tag.parse(tag));
        try {
            browse.deleteTag(name, d, t);
        } catch (RegistryException e) {
            throw ManagementException.from(e,
                    "tag " + t + " of artifact " + d + " not found in " + name.value());
        }
        return Response.noContent().build();
    }

    private RepositoryName mayDelete(String project, String repository) {
        RepositoryName name = name(project, repository);
        Caller c = caller.get();
        if (!c.mayDelete(name.value())) {
            throw ManagementException.forbidden("the token does not grant delete on " + name.value());
        }
        return name;
    }

    private static RepositoryName name(String project, String repository) {
        return parse(() -> RepositoryName.parse(project + "/" + repository));
    }

    /** Runs a libs/oci parser, turning its NAME_INVALID or DIGEST_INVALID into BAD_REQUEST. */
    private static <T> T parse(java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (RegistryException e) {
            throw ManagementException.badRequest(e.getMessage());
        }
    }

    private static ManagementException notFound(RepositoryName name) {
        return ManagementException.notFound("repository " + name.value() + " not found");
    }

    private static <T> Response page(Page<T> rows) {
        List<T> items = rows.items();
        return Response.ok(items).header(PageRequest.TOTAL_HEADER, rows.total()).build();
    }
}
