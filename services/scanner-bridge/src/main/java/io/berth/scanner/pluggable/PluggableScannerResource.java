package io.berth.scanner.pluggable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.scanner.adapter.SpecMediaTypes;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in scanner served with the Pluggable Scanner API v1.1 (goharbor/pluggable-scanner-spec)
 * and the SBOM report of v1.2, under {@code /scanner} so that an adapter base URL is
 * {@code http://<host>:8085/scanner} ({@link PluggableAuthFilter} guards it):
 *
 * <ul>
 *   <li>{@code GET /scanner/api/v1/metadata}: {@link BuiltinMetadata}.
 *   <li>{@code POST /scanner/api/v1/scan}: a ScanRequest; 202 with {@code {"id"}}; 400 for a body
 *       that is not JSON, 422 for a missing or invalid field, 501 for an artifact that is not an
 *       image manifest, 503 with {@code Retry-After} when the scanner is full.
 *   <li>{@code GET /scanner/api/v1/scan/{id}/report}: by {@code Accept}, the vulnerability report
 *       (v1.1's type, or v1.0's Harbor type, the same document) or the SBOM report (with
 *       {@code ?sbom_media_type=application/vnd.cyclonedx+json}); 302 with {@code Refresh-After}
 *       while the scan waits or runs, 500 with the reason when it failed, 404 for an unknown or
 *       expired id, 501 for a report type berth does not write, 400 for a missing or other SBOM format.
 * </ul>
 * Errors are the spec's model ({@link SpecErrors}).
 */
@Path("/scanner/api/v1")
@Blocking
public class PluggableScannerResource {

    private static final int MAX_REQUEST = 64 * 1024;

    private final PluggableScans scans;
    private final BuiltinMetadata metadata;
    private final ObjectMapper json;

    public PluggableScannerResource(PluggableScans scans, BuiltinMetadata metadata, ObjectMapper json) {
        this.scans = scans;
        this.metadata = metadata;
        this.json = json;
    }

    @GET
    @Path("metadata")
    public Response metadata(@HeaderParam("Accept") String accept) {
        String type = accept != null && SpecMediaTypes.normalize(accept).contains(
                SpecMediaTypes.normalize(SpecMediaTypes.METADATA_1_1)) ? SpecMediaTypes.METADATA_1_1
                : SpecMediaTypes.METADATA_1_0;
        return SpecErrors.json(200, type, metadata.document());
    }

    @POST
    @Path("scan")
    @Consumes(MediaType.WILDCARD)
    public Response scan(byte[] body) {
        if (body == null || body.length == 0) {
            return SpecErrors.of(400, "the body must be a ScanRequest");
        }
        if (body.length > MAX_REQUEST) {
            return SpecErrors.of(400, "a ScanRequest is at most " + MAX_REQUEST + " bytes");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            return SpecErrors.of(400, "the body is not JSON");
        }
        if (node == null || !node.isObject()) {
            return SpecErrors.of(400, "the body must be a JSON object (a ScanRequest)");
        }
        ScanRequest request;
        try {
            request = request(node);
        } catch (Invalid e) {
            return SpecErrors.of(e.status, e.getMessage());
        }
        try {
            PluggableScans.Entry entry = scans.submit(request);
            return SpecErrors.json(202, SpecMediaTypes.SCAN_RESPONSE, Map.of("id", entry.id));
        } catch (PluggableScans.Busy e) {
            return Response.fromResponse(SpecErrors.of(503, e.getMessage() + "; try again later"))
                    .header("Retry-After", scans.retryAfterSeconds()).build();
        }
    }

    @GET
    @Path("scan/{id}/report")
    public Response report(@PathParam("id") String id, @HeaderParam("Accept") String accept,
            @QueryParam("sbom_media_type") String sbomMediaType) {
        Optional<PluggableScans.Entry> found = scans.get(id);
        if (found.isEmpty()) {
            return SpecErrors.of(404, "no scan request " + id + " (unknown, or its report expired)");
        }
        String type = reportType(accept);
        if (type == null) {
            return SpecErrors.of(501, "berth writes " + SpecMediaTypes.VULN_REPORT_1_1 + ", "
                    + SpecMediaTypes.VULN_REPORT_HARBOR_1_0 + " and " + SpecMediaTypes.SBOM_REPORT_1_0 + "; not " + accept);
        }
        boolean sbom = type.equals(SpecMediaTypes.SBOM_REPORT_1_0);
        if (sbom && !SpecMediaTypes.same(SpecMediaTypes.CYCLONEDX, sbomMediaType)) {
            return SpecErrors.of(400, sbomMediaType == null
                    ? "an SBOM report needs ?sbom_media_type=" + SpecMediaTypes.CYCLONEDX
                    : "berth writes SBOMs as " + SpecMediaTypes.CYCLONEDX + " only, not " + sbomMediaType);
        }
        PluggableScans.Entry entry = found.get();
        return switch (entry.state) {
            case QUEUED, RUNNING -> Response.status(302).header("Refresh-After", scans.retryAfterSeconds()).build();
            case FAILED -> SpecErrors.of(500, entry.error);
            case SUCCEEDED -> SpecErrors.json(200, type, sbom ? SpecReports.sbom(entry, metadata.scanner(), json)
                    : SpecReports.vulnerabilities(entry, metadata.scanner()));
        };
    }

    /** The report type the Accept header asks for; no header or a wildcard is the v1.1 vulnerability report. */
    static String reportType(String accept) {
        if (accept == null || accept.isBlank()) {
            return SpecMediaTypes.VULN_REPORT_1_1;
        }
        for (String part : accept.split(",")) {
            String p = SpecMediaTypes.normalize(part).replaceAll(";q=[0-9.]+", "");
            for (String known : List.of(SpecMediaTypes.VULN_REPORT_1_1, SpecMediaTypes.VULN_REPORT_HARBOR_1_0,
                    SpecMediaTypes.SBOM_REPORT_1_0)) {
                if (p.equals(SpecMediaTypes.normalize(known))) {
                    return known;
                }
            }
            if (p.equals("*/*")) {
                return SpecMediaTypes.VULN_REPORT_1_1;
            }
        }
        return null;
    }

    /** A refusal of a scan request's content: 422 for a field, 501 for an artifact berth cannot scan. */
    private static final class Invalid extends Exception {
        final int status;

        Invalid(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private static ScanRequest request(JsonNode node) throws Invalid {
        String url = text(node, "registry", "url", true);
        try {
            URI u = URI.create(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null || u.getRawQuery() != null
                    || u.getRawFragment() != null || u.getRawUserInfo() != null) {
                throw new Invalid(422, "registry.url must be an http:// or https:// base URL with a host, and no user, query or fragment");
            }
        } catch (IllegalArgumentException e) {
            throw new Invalid(422, "registry.url is not a URL");
        }
        String authorization = text(node, "registry", "authorization", false);
        if (authorization != null && (authorization.isBlank() || authorization.contains("\n") || authorization.contains("\r"))) {
            authorization = authorization.isBlank() ? null : fail("registry.authorization must be one header value");
        }
        String repository = text(node, "artifact", "repository", true);
        String digest = text(node, "artifact", "digest", true);
        try {
            RepositoryName.parse(repository);
            Digest d = Digest.parse(digest);
            if (!d.toString().startsWith("sha256:")) {
                throw new Invalid(422, "artifact.digest must be a sha256 digest");
            }
        } catch (RegistryException e) {
            throw new Invalid(422, "artifact: " + e.clientMessage());
        }
        String tag = text(node, "artifact", "tag", false);
        String mimeType = text(node, "artifact", "mime_type", false);
        if (mimeType != null && !SpecMediaTypes.same(mimeType, MediaTypes.OCI_MANIFEST)
                && !SpecMediaTypes.same(mimeType, MediaTypes.DOCKER_MANIFEST)) {
            throw new Invalid(501, "the built-in scanner scans image manifests (" + MediaTypes.OCI_MANIFEST + ", "
                    + MediaTypes.DOCKER_MANIFEST + "), not " + mimeType);
        }
        return new ScanRequest(url, authorization, repository, digest, tag, mimeType);
    }

    private static String fail(String message) throws Invalid {
        throw new Invalid(422, message);
    }

    private static String text(JsonNode node, String object, String field, boolean required) throws Invalid {
        JsonNode f = node.path(object).path(field);
        if (f.isMissingNode() || f.isNull()) {
            if (required) {
                throw new Invalid(422, object + "." + field + " is required");
            }
            return null;
        }
        if (!f.isTextual() || required && f.asText().isBlank()) {
            throw new Invalid(422, object + "." + field + " must be a non-empty string");
        }
        return f.asText();
    }
}
