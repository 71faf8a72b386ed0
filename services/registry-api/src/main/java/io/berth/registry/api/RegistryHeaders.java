package io.berth.registry.api;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import io.berth.registry.service.UploadStatus;
import jakarta.ws.rs.core.Response;

/**
 * The headers of the blob and upload answers, built in one place so every endpoint spells them
 * alike. Locations are relative paths, as distribution writes them: they stay right behind the
 * gateway, whatever host name the client used.
 */
final class RegistryHeaders {

    static final String CONTENT_DIGEST = "Docker-Content-Digest";
    static final String UPLOAD_UUID = "Docker-Upload-UUID";

    private RegistryHeaders() {}

    /** {@code /v2/<name>/blobs/<digest>}. */
    static String blobLocation(RepositoryName name, Digest digest) {
        return "/v2/" + name + "/blobs/" + digest;
    }

    /** {@code /v2/<name>/blobs/uploads/<uuid>}. */
    static String uploadLocation(UploadStatus status) {
        return "/v2/" + status.name() + "/blobs/uploads/" + status.id();
    }

    /**
     * The spec's inclusive {@code 0-<last byte>}; an empty session is {@code 0-0}, as distribution
     * answers (the spec has no form for "nothing yet").
     */
    static String range(long received) {
        return "0-" + Math.max(0, received - 1);
    }

    /** Adds the headers that tell a client where an upload stands and where to send the next chunk. */
    static Response.ResponseBuilder uploadState(Response.ResponseBuilder builder, UploadStatus status) {
        return builder.header("Location", uploadLocation(status))
                .header("Range", range(status.receivedBytes()))
                .header(UPLOAD_UUID, status.id().toString());
    }

    /** 201 for a blob now linked into {@code name}. */
    static Response created(RepositoryName name, Digest digest) {
        return Response.status(Response.Status.CREATED)
                .header("Location", blobLocation(name, digest))
                .header(CONTENT_DIGEST, digest.toString())
                .header("Content-Length", 0)
                .build();
    }
}
