package io.berth.registry.api;

import io.berth.errors.WireErrors;
import io.berth.oci.Digest;
import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RepositoryName;
import io.berth.registry.metadata.StoredBlob;
import io.berth.registry.service.BlobService;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Blob pulls and deletes: {@code HEAD}, {@code GET} (whole, one byte range, or a 307 to a
 * presigned URL) and {@code DELETE} on {@code /v2/<name>/blobs/<digest>}. The size and digest
 * come from PostgreSQL; GET pipes the bytes from the store as the client reads them
 * ({@link io.berth.registry.transport.BlobBodyWriter}).
 */
@Path("/v2/{name: .+}/blobs")
public class BlobResource {

    private static final Pattern SINGLE_RANGE = Pattern.compile("^bytes=(\\d{0,18})-(\\d{0,18})$");

    private final BlobService blobs;

    public BlobResource(BlobService blobs) {
        this.blobs = blobs;
    }

    /** 200 with the blob's size and digest, no body; 404 (no body either) when not linked here. */
    @HEAD
    @Path("{digest}")
    public Response head(@PathParam("name") String name, @PathParam("digest") String digest) {
        StoredBlob blob = blobs.find(RepositoryName.parse(name), Digest.parse(digest));
        return headers(Response.ok(), blob).header("Content-Length", blob.size()).build();
    }

    /** The bytes: 200, 206 for a satisfiable {@code Range}, 416 otherwise, or 307 when redirects are on. */
    @GET
    @Path("{digest}")
    public Response get(@PathParam("name") String name, @PathParam("digest") String digest,
            @HeaderParam("Range") String range) {
        StoredBlob blob = blobs.find(RepositoryName.parse(name), Digest.parse(digest));
        Optional<URI> redirect = blobs.redirect(blob);
        if (redirect.isPresent()) {
            return Response.temporaryRedirect(redirect.get()).header(RegistryHeaders.CONTENT_DIGEST, blob.digest().toString()).build();
        }
        long[] span;
        try {
            span = parseRange(range, blob.size());
        } catch (RangeNotSatisfiable e) {
            return e.toResponse();
        }
        if (span == null) {
            Object all = blob.size() == 0 ? (StreamingOutput) out -> { } : blobs.source(blob, 0, -1);
            return headers(Response.ok(all), blob).header("Content-Length", blob.size()).build();
        }
        long length = span[1] - span[0] + 1;
        return headers(Response.status(206).entity(blobs.source(blob, span[0], length)), blob)
                .header("Content-Length", length)
                .header("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + blob.size())
                .build();
    }

    /** Unlinks the blob from this repository: 202. */
    @DELETE
    @Path("{digest}")
    public Response delete(@PathParam("name") String name, @PathParam("digest") String digest) {
        blobs.delete(RepositoryName.parse(name), Digest.parse(digest));
        return Response.accepted().header("Content-Length", 0).build();
    }

    private static Response.ResponseBuilder headers(Response.ResponseBuilder builder, StoredBlob blob) {
        return builder.type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(RegistryHeaders.CONTENT_DIGEST, blob.digest().toString())
                .header("Accept-Ranges", "bytes");
    }

    /**
     * The first and last byte of a single {@code bytes=} range, or null to send everything (no
     * header, or one berth ignores as RFC 9110 allows: malformed or several ranges).
     */
    private static long[] parseRange(String header, long size) {
        if (header == null) {
            return null;
        }
        var m = SINGLE_RANGE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        long first;
        long last;
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            if (suffix == 0 || size == 0) {
                throw unsatisfiable(header, size);
            }
            first = Math.max(0, size - suffix);
            last = size - 1;
        } else {
            first = Long.parseLong(m.group(1));
            last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) {
                return null;
            }
            if (first >= size) {
                throw unsatisfiable(header, size);
            }
        }
        return new long[] {first, last};
    }

    private static RangeNotSatisfiable unsatisfiable(String header, long size) {
        return new RangeNotSatisfiable(size, header);
    }

    /** An unsatisfiable range; answered by {@link #get} with its {@code Content-Range: bytes *}{@code /<size>}. */
    private static final class RangeNotSatisfiable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long size;
        private final String header;

        RangeNotSatisfiable(long size, String header) {
            super(null, null, false, false);
            this.size = size;
            this.header = header;
        }

        Response toResponse() {
            return WireErrors.oci(RegistryErrorCode.RANGE_INVALID, Map.of("range", header, "size", size)).builder()
                    .header("Content-Range", "bytes */" + size).build();
        }
    }
}
