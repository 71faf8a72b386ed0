package io.berth.scanner.adapter;

import io.berth.security.tls.TrustAll;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.jboss.logging.Logger;

/**
 * berth's client of the Pluggable Scanner API v1.1 (and the SBOM report of v1.2): reads an
 * adapter's metadata, submits a scan, polls its reports and maps them into berth's shape.
 *
 * <p>{@link #scan} is the whole exchange: metadata (which report types the adapter offers), {@code
 * POST /api/v1/scan} (202 with an id), then {@code GET /api/v1/scan/{id}/report} for the
 * vulnerability report and, if the adapter offers it, the SBOM report, each polled while the
 * adapter answers 302, waiting what its {@code Refresh-After} says (clamped between
 * {@code min-refresh-after} and {@code max-refresh-after}) and never longer than
 * {@code max-report-wait} in all. Redirects are never followed: in this API a 302 means "not yet".
 * Every failure is an {@link AdapterException} whose reason says what went wrong (DNS, TLS, 401,
 * 403, timeout, a malformed report, the adapter's own error message) and whose message never
 * holds a secret. Thread-safe.
 */
@ApplicationScoped
public class AdapterClient {

    private static final Logger LOG = Logger.getLogger(AdapterClient.class);

    /** The client's settings; {@link AdapterClientConfig} gives them in the service. */
    public record Settings(Duration connectTimeout, Duration requestTimeout, Duration maxReportWait,
            Duration defaultRefreshAfter, Duration minRefreshAfter, Duration maxRefreshAfter, long maxResponseBytes) {}

    private final Settings settings;
    private final ObjectMapper json;
    private final HttpClient verifying;
    private final HttpClient trusting;

    @Inject
    public AdapterClient(AdapterClientConfig config, ObjectMapper json) {
        this(new Settings(config.connectTimeout(), config.requestTimeout(), config.maxReportWait(),
                config.defaultRefreshAfter(), config.minRefreshAfter(), config.maxRefreshAfter(),
                config.maxResponseSize().asLongValue()), json);
    }

    public AdapterClient(Settings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
        this.verifying = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.trusting = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).sslContext(TrustAll.context()).build();
    }

    /**
     * The adapter's metadata.
     *
     * @throws AdapterException if the adapter cannot be asked, refuses, or answers what is not the spec's metadata
     */
    public AdapterMetadata metadata(ScannerEndpoint endpoint) throws AdapterException {
        Reply r = send(endpoint, request(endpoint, "api/v1/metadata")
                .header("Accept", SpecMediaTypes.METADATA_1_1 + ", " + SpecMediaTypes.METADATA_1_0).GET(), "metadata");
        if (r.status != 200) {
            throw refusal(endpoint, r, "metadata");
        }
        return ReportMapper.metadata(endpoint, parse(endpoint, r, "metadata"));
    }

    /**
     * Submits a scan of {@code artifact}, which the adapter pulls from {@code registry}.
     *
     * @return the scan request's id
     */
    public String submit(ScannerEndpoint endpoint, RegistryAccess registry, ArtifactRef artifact) throws AdapterException {
        ObjectNode body = json.createObjectNode();
        ObjectNode reg = body.putObject("registry").put("url", registry.url());
        if (registry.authorization() != null) {
            reg.put("authorization", registry.authorization());
        }
        ObjectNode a = body.putObject("artifact").put("repository", artifact.repository()).put("digest", artifact.digest())
                .put("mime_type", artifact.mimeType());
        if (artifact.tag() != null) {
            a.put("tag", artifact.tag());
        }
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Reply r = send(endpoint, request(endpoint, "api/v1/scan").header("Content-Type", SpecMediaTypes.SCAN_REQUEST_1_1)
                .header("Accept", SpecMediaTypes.SCAN_RESPONSE + ", application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)), "scan request");
        if (r.status != 202) {
            throw refusal(endpoint, r, "scan request");
        }
        JsonNode id = parse(endpoint, r, "scan request").path("id");
        if (!id.isTextual() || id.asText().isBlank() || id.asText().length() > 256) {
            throw new AdapterException(AdapterException.Reason.MALFORMED, "scanner " + endpoint.name()
                    + " accepted the scan request but answered no usable id");
        }
        return id.asText();
    }

    /**
     * Polls the report {@code mediaType} of scan {@code id} until the adapter answers it (200), at
     * most until {@code deadline}.
     *
     * @param sbomMediaType for the SBOM report, the SBOM format ({@code sbom_media_type}); else null
     * @return the report as JSON
     */
    public JsonNode report(ScannerEndpoint endpoint, String id, String mediaType, String sbomMediaType, Instant deadline)
            throws AdapterException {
        String path = "api/v1/scan/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20") + "/report"
                + (sbomMediaType == null ? "" : "?sbom_media_type=" + URLEncoder.encode(sbomMediaType, StandardCharsets.UTF_8));
        int polls = 0;
        while (true) {
            polls++;
            Reply r = send(endpoint, request(endpoint, path).header("Accept", mediaType).GET(), "report");
            if (r.status == 200) {
                return parse(endpoint, r, "report");
            }
            if (r.status != 302) {
                throw refusal(endpoint, r, "report of scan " + id);
            }
            Duration wait = refreshAfter(r.response.headers().firstValue("Refresh-After"));
            if (Instant.now().plus(wait).isAfter(deadline)) {
                throw new AdapterException(AdapterException.Reason.TIMEOUT, "scanner " + endpoint.name()
                        + " had no report for scan " + id + " within " + settings.maxReportWait() + " (" + polls
                        + " polls, still 302)");
            }
            sleep(wait);
        }
    }

    /**
     * A whole scan: metadata, submit, the vulnerability report and, if offered, the SBOM.
     *
     * @throws AdapterException for the first step that fails, with its reason
     */
    public AdapterReport scan(ScannerEndpoint endpoint, RegistryAccess registry, ArtifactRef artifact)
            throws AdapterException {
        AdapterMetadata metadata = metadata(endpoint);
        String reportType = metadata.vulnerabilityReportType().orElseThrow(() -> new AdapterException(
                AdapterException.Reason.UNSUPPORTED, "scanner " + endpoint.name() + " produces no vulnerability report"
                + " berth reads (" + SpecMediaTypes.VULN_REPORT_1_1 + ") for image manifests"));
        Instant deadline = Instant.now().plus(settings.maxReportWait());
        String id = submit(endpoint, registry, artifact);
        JsonNode report = report(endpoint, id, reportType, null, deadline);
        String sbom = null;
        Optional<String> sbomType = metadata.sbomMediaType();
        if (sbomType.isPresent()) {
            JsonNode sbomReport = report(endpoint, id, SpecMediaTypes.SBOM_REPORT_1_0, sbomType.get(), deadline);
            JsonNode doc = sbomReport.path("sbom");
            if (!doc.isObject()) {
                throw new AdapterException(AdapterException.Reason.MALFORMED, "scanner " + endpoint.name()
                        + "'s SBOM report for scan " + id + " has no sbom object");
            }
            sbom = doc.toString();
        }
        return ReportMapper.report(endpoint, metadata, reportType, report, sbomType.orElse(null), sbom);
    }

    private Duration refreshAfter(Optional<String> header) {
        Duration wait = settings.defaultRefreshAfter();
        if (header.isPresent() && header.get().trim().matches("[0-9]{1,9}")) {
            wait = Duration.ofSeconds(Long.parseLong(header.get().trim()));
        }
        if (wait.compareTo(settings.minRefreshAfter()) < 0) {
            return settings.minRefreshAfter();
        }
        return wait.compareTo(settings.maxRefreshAfter()) > 0 ? settings.maxRefreshAfter() : wait;
    }

    private static void sleep(Duration wait) throws AdapterException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdapterException(AdapterException.Reason.TIMEOUT, "interrupted while waiting for a report");
        }
    }

    private HttpRequest.Builder request(ScannerEndpoint endpoint, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(settings.requestTimeout());
        endpoint.auth().apply(b, endpoint.secret());
        return b;
    }

    /** One answer, its body read (bounded). */
    private record Reply(HttpResponse<InputStream> response, int status, byte[] body) {}

    private Reply send(ScannerEndpoint endpoint, HttpRequest.Builder request, String what) throws AdapterException {
        HttpClient http = endpoint.insecure() ? trusting : verifying;
        HttpRequest built = request.build();
        try {
            HttpResponse<InputStream> r = http.send(built, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxResponseBytes() + 1));
                if (body.length > settings.maxResponseBytes()) {
                    throw new AdapterException(AdapterException.Reason.MALFORMED, "scanner " + endpoint.name() + "'s "
                            + what + " is larger than " + settings.maxResponseBytes() + " bytes");
                }
                return new Reply(r, r.statusCode(), body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdapterException(AdapterException.Reason.TIMEOUT, "interrupted while asking scanner "
                    + endpoint.name() + " for its " + what);
        } catch (IOException e) {
            throw transport(endpoint, built.uri(), what, e);
        }
    }

    static AdapterException transport(ScannerEndpoint endpoint, URI uri, String what, IOException e) {
        String where = "scanner " + endpoint.name() + " at " + uri.getScheme() + "://" + uri.getAuthority();
        if (e instanceof HttpConnectTimeoutException) {
            return new AdapterException(AdapterException.Reason.TIMEOUT, where + " did not accept a connection in time ("
                    + what + ")", e);
        }
        if (e instanceof HttpTimeoutException) {
            return new AdapterException(AdapterException.Reason.TIMEOUT, where + " did not answer the " + what
                    + " in time", e);
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                return new AdapterException(AdapterException.Reason.DNS, where + ": the host name "
                        + uri.getHost() + " does not resolve", e);
            }
            if (c instanceof SSLException) {
                return new AdapterException(AdapterException.Reason.TLS, where + ": TLS failed: " + c.getMessage()
                        + " (a self-signed certificate needs insecure=true)", e);
            }
        }
        if (e instanceof ConnectException) {
            return new AdapterException(AdapterException.Reason.UNREACHABLE, where + " refused the connection or cannot"
                    + " be reached (" + what + ")", e);
        }
        LOG.debugf(e, "%s: %s failed", where, what);
        return new AdapterException(AdapterException.Reason.UNREACHABLE, where + " failed during the " + what + ": " + e, e);
    }

    private JsonNode parse(ScannerEndpoint endpoint, Reply r, String what) throws AdapterException {
        try {
            JsonNode node = json.readTree(r.body);
            if (node == null || !node.isObject()) {
                throw new AdapterException(AdapterException.Reason.MALFORMED, "scanner " + endpoint.name() + "'s "
                        + what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new AdapterException(AdapterException.Reason.MALFORMED, "scanner " + endpoint.name() + "'s " + what
                    + " is not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    /** A non-success status as an AdapterException, with the spec's error message when there is one. */
    private AdapterException refusal(ScannerEndpoint endpoint, Reply r, String what) {
        String message = null;
        try {
            JsonNode node = json.readTree(r.body);
            JsonNode m = node == null ? null : node.path("error").path("message");
            message = m != null && m.isTextual() ? m.asText() : null;
        } catch (IOException | RuntimeException e) {
            // not the error model: the status alone speaks
        }
        if (message != null && message.length() > 500) {
            message = message.substring(0, 500) + "...";
        }
        String said = message == null ? "" : ": " + message;
        String who = "scanner " + endpoint.name();
        return switch (r.status) {
            case 401 -> new AdapterException(AdapterException.Reason.UNAUTHORIZED, who + " refused berth's credentials"
                    + " (401 on the " + what + ")" + said);
            case 403 -> new AdapterException(AdapterException.Reason.FORBIDDEN, who + " refused the " + what + " (403)" + said);
            case 404 -> new AdapterException(AdapterException.Reason.NOT_FOUND, who + " has no " + what + " (404)"
                    + (what.equals("metadata") ? ": is " + endpoint.url() + " the base URL of a Pluggable Scanner API?" : said));
            case 400, 422 -> new AdapterException(AdapterException.Reason.REJECTED, who + " rejected the " + what + " ("
                    + r.status + ")" + said);
            case 501 -> new AdapterException(AdapterException.Reason.UNSUPPORTED, who + " cannot handle the " + what
                    + " (501)" + said);
            case 500 -> new AdapterException(AdapterException.Reason.SCANNER_FAILED, who + " failed the " + what
                    + " (500)" + said);
            default -> new AdapterException(AdapterException.Reason.MALFORMED, who + " answered " + r.status
                    + " to the " + what + ", which the Pluggable Scanner API does not allow there" + said);
        };
    }
}
