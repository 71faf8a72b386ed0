package io.berth.registry.api;

import io.berth.errors.WireErrors;
import io.berth.oci.Digest;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.registry.config.RegistryConfig;
import io.berth.registry.metadata.StoredBlob;
import io.berth.registry.service.BlobService;
import io.berth.registry.service.UploadRangeException;
import io.berth.registry.service.UploadService;
import io.berth.registry.service.UploadStatus;
import io.berth.storage.ByteSource;
import io.berth.storage.http.HttpBodies;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Optional;

/**
 * Blob pushes: {@code POST /v2/<name>/blobs/uploads/} (open a session, a monolithic push with
 * {@code ?digest=}, or a mount with {@code ?mount=&from=}), then {@code PATCH}, {@code PUT},
 * {@code GET} and {@code DELETE} on {@code /v2/<name>/blobs/uploads/<uuid>}.
 *
 * <p>Bodies reach the service as a {@link ByteSource} ({@link HttpBodies#source}): received whole
 * by the store (S3: piped to it on the event loop), or read through a bounded queue that pauses the
 * connection; nothing is buffered whole (libs/storage, ADR 0023). The methods run on worker
 * threads, since every step below blocks.
 */
@Path("/v2/{name: .+}/blobs/uploads")
public class UploadResource {

    private final UploadService uploads;
    private final BlobService blobs;
    private final Duration bodyIdleTimeout;

    public UploadResource(UploadService uploads, BlobService blobs, RegistryConfig config) {
        this.uploads = uploads;
        this.blobs = blobs;
        this.bodyIdleTimeout = config.uploads().bodyIdleTimeout();
    }

    /**
     * Opens a session (202), or finishes at once: a mount of a blob the caller may take (201), or a
     * monolithic push with {@code ?digest=} (201). A mount that cannot be served falls back to a
     * session, as the spec allows; so does a {@code from} that is not a valid repository name.
     */
    @POST
    public Response start(@PathParam("name") String name, @QueryParam("digest") String digest,
            @QueryParam("mount") String mount, @QueryParam("from") String from,
            @HeaderParam("Content-Length") String contentLength, @Context HttpServerRequest request) {
        RepositoryName repository = RepositoryName.parse(name);
        if (mount != null) {
            Digest mounted = Digest.parse(mount);
            Optional<StoredBlob> linked = Optional.empty();
            if (from == null) {
                linked = blobs.mount(repository, mounted, null);
            } else {
                Optional<RepositoryName> source = parseQuietly(from);
                if (source.isPresent()) {
                    linked = blobs.mount(repository, mounted, source.get());
                }
            }
            if (linked.isPresent()) {
                return RegistryHeaders.created(repository, mounted);
            }
        } else if (digest != null) {
            Digest expected = Digest.parse(digest);
            try (ByteSource body = body(request)) {
                StoredBlob stored = uploads.uploadWhole(repository, expected, body, length(contentLength));
                return RegistryHeaders.created(repository, stored.digest());
            }
        }
        UploadStatus status = uploads.start(repository);
        return RegistryHeaders.uploadState(Response.accepted(), status).header("Content-Length", 0).build();
    }

    /** Appends a chunk (with {@code Content-Range}) or a streamed body (without); 202 with the new Range. */
    @PATCH
    @Path("{uuid}")
    public Response append(@PathParam("name") String name, @PathParam("uuid") String uuid,
            @HeaderParam("Content-Range") String contentRange, @HeaderParam("Content-Length") String contentLength,
            @Context HttpServerRequest request) {
        RepositoryName repository = RepositoryName.parse(name);
        try (ByteSource body = body(request)) {
            UploadStatus status = uploads.append(repository, uuid, body, contentRange, length(contentLength));
            return RegistryHeaders.uploadState(Response.accepted(), status).header("Content-Length", 0).build();
        } catch (UploadRangeException e) {
            return rangeInvalid(e);
        }
    }

    /** Completes the upload with {@code ?digest=}, after an optional last chunk; 201. */
    @PUT
    @Path("{uuid}")
    public Response commit(@PathParam("name") String name, @PathParam("uuid") String uuid,
            @QueryParam("digest") String digest, @HeaderParam("Content-Range") String contentRange,
            @HeaderParam("Content-Length") String contentLength, @Context HttpServerRequest request) {
        RepositoryName repository = RepositoryName.parse(name);
        try (ByteSource body = body(request)) {
            StoredBlob stored = uploads.commit(repository, uuid, digest, body, contentRange, length(contentLength));
            return RegistryHeaders.created(repository, stored.digest());
        } catch (UploadRangeException e) {
            return rangeInvalid(e);
        }
    }

    /** Where the upload stands: 204 with {@code Range}. */
    @GET
    @Path("{uuid}")
    public Response status(@PathParam("name") String name, @PathParam("uuid") String uuid) {
        UploadStatus status = uploads.status(RepositoryName.parse(name), uuid);
        return RegistryHeaders.uploadState(Response.noContent(), status).build();
    }

    /** Aborts the upload and frees its bytes: 204. */
    @DELETE
    @Path("{uuid}")
    public Response cancel(@PathParam("name") String name, @PathParam("uuid") String uuid) {
        uploads.cancel(RepositoryName.parse(name), uuid);
        return Response.noContent().build();
    }

    private ByteSource body(HttpServerRequest request) {
        return HttpBodies.source(request, bodyIdleTimeout);
    }

    /** 416 must say where the session stands, so the client can continue from there. */
    private static Response rangeInvalid(UploadRangeException e) {
        return RegistryHeaders.uploadState(
                WireErrors.oci(e.code(), e.detail()).builder(), e.upload()).build();
    }

    private static Optional<RepositoryName> parseQuietly(String name) {
        try {
            return Optional.of(RepositoryName.parse(name));
        } catch (RegistryException e) {
            return Optional.empty();
        }
    }

    /** The announced body length, or -1 when there is none (chunked transfer) or it is unreadable. */
    private static long length(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
