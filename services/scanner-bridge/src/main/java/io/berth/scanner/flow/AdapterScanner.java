package io.berth.scanner.flow;

import io.berth.scanner.adapter.AdapterClient;
import io.berth.scanner.adapter.AdapterClientConfig;
import io.berth.scanner.adapter.AdapterException;
import io.berth.scanner.adapter.AdapterReport;
import io.berth.scanner.adapter.ArtifactRef;
import io.berth.scanner.adapter.RegistryAccess;
import io.berth.scanner.adapter.ScannerEndpoint;
import io.berth.scanner.adapter.SpecMediaTypes;
import io.berth.scanner.registry.ServiceTokenException;
import io.berth.scanner.registry.ServiceTokens;
import io.berth.scanner.scanners.ScannerRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Scans an image manifest with a registered adapter of the Pluggable Scanner API (kind
 * {@code adapter}, docs/adr/0036): the adapter is handed berth's registry as it reaches it
 * ({@code berth.scanner.adapter.registry-url}) and a Bearer token minted for this one repository
 * with {@code pull} and {@code scanner-pull} ({@link ServiceTokens}), so that it pulls through the
 * pull gate like any client. {@link AdapterClient#scan} submits and polls (302, Refresh-After, at
 * most {@code max-report-wait}); the worker's heartbeat keeps the job meanwhile.
 *
 * <p>Failures: an adapter that cannot be reached, refuses berth (401, 403), fails the scan (500)
 * or answers a malformed report is worth another attempt, with a new token (the flow retries
 * three times, then fails the job with the adapter's words); one that rejects the request as
 * invalid (400, 422) or cannot scan the artifact (501) fails it at once. A scanner deleted or
 * disabled while the adapter worked drops the report: the job fails saying so (a deleted
 * scanner's job is gone with it). A manifest with no filesystem layer is not an image and is not
 * sent to the adapter ({@link BuiltinScanner#isFilesystemLayer}).
 */
@ApplicationScoped
public class AdapterScanner implements ArtifactScanner {

    /** What the token grants: pull, and passing the pull gate (auth adds that for the scanner identity). */
    static final Set<String> ACTIONS = Set.of("pull", "scanner-pull");

    private final AdapterClient client;
    private final ScannerRegistry scanners;
    private final ServiceTokens tokens;
    private final DataSource db;
    private final String registryUrl;

    public AdapterScanner(AdapterClient client, ScannerRegistry scanners, ServiceTokens tokens, DataSource db,
            AdapterClientConfig config) {
        this.client = client;
        this.scanners = scanners;
        this.tokens = tokens;
        this.db = db;
        this.registryUrl = config.registryUrl().replaceAll("/+$", "");
    }

    @Override
    public String kind() {
        return ScannerRow.ADAPTER;
    }

    @Override
    public ScanResult scan(ScanTarget target) throws ScanException {
        if (BuiltinScanner.parse(target.content(), target.mediaType()).layers().stream()
                .noneMatch(d -> BuiltinScanner.isFilesystemLayer(d.mediaType()))) {
            // Not an image (a Helm chart, a signature, an SBOM): as with the built-in scanner, a
            // success with nothing found, so that a gate refusing unscanned artifacts does not
            // refuse it; adapters answer 501 for such artifacts.
            return ScanResult.empty(null, List.of());
        }
        ScannerEndpoint endpoint = endpoint(target);
        ArtifactRef artifact = new ArtifactRef(target.repository(), target.digest(), tag(target), target.mediaType());
        AdapterReport report;
        try {
            report = client.scan(endpoint, new RegistryAccess(registryUrl, authorization(target)), artifact);
        } catch (AdapterException e) {
            throw new ScanException(e.getMessage(), retryable(e.reason()), e);
        }
        // The adapter may have worked for minutes: a scanner an administrator disabled or
        // removed meanwhile must not get a report.
        endpoint(target);
        List<String> warnings = new ArrayList<>();
        String sbom = null;
        if (report.sbom() != null) {
            if (SpecMediaTypes.CYCLONEDX.equals(report.sbomMediaType())) {
                sbom = report.sbom();
            } else {
                warnings.add("the adapter's SBOM is " + report.sbomMediaType() + ", not CycloneDX: not stored");
            }
        }
        List<Vulnerability> vulnerabilities = report.vulnerabilities().stream().map(Vulnerability::of).toList();
        return new ScanResult(vulnerabilities, sbom, warnings, null);
    }

    /** Whether another attempt may succeed after a failure of this kind. */
    static boolean retryable(AdapterException.Reason reason) {
        return switch (reason) {
            case REJECTED, UNSUPPORTED -> false;
            default -> true;
        };
    }

    /** The scanner's endpoint as stored now, its secret decrypted; fails the job if it is gone or disabled. */
    private ScannerEndpoint endpoint(ScanTarget target) throws ScanException {
        String name = target.scanner().name();
        Optional<io.berth.scanner.scanners.ScannerRow> row = scanners.find(name)
                .filter(r -> r.id() == target.scanner().id());
        if (row.isEmpty()) {
            throw ScanException.permanent("scanner " + name + " was deleted during the scan");
        }
        if (row.get().disabled()) {
            throw ScanException.permanent("scanner " + name + " was disabled during the scan");
        }
        try {
            return scanners.endpoint(row.get());
        } catch (IllegalStateException | IllegalArgumentException e) {
            // a secret sealed under another berth.scanner.scanners.secret, a row without its secret
            throw ScanException.permanent("scanner " + name + " cannot be used: " + e.getMessage());
        }
    }

    /** {@code Bearer <token>} for the target's repository only, minted now so that it is fresh when the adapter pulls. */
    private String authorization(ScanTarget target) throws ScanException {
        try {
            return "Bearer " + tokens.bearer(target.repository(), ACTIONS);
        } catch (ServiceTokenException e) {
            // auth unreachable: later; no secret, or auth refuses or withholds the grant: an operator must act
            throw new ScanException("no pull token for the adapter: " + e.getMessage(),
                    e.reason() == ServiceTokenException.Reason.UNAVAILABLE, e);
        }
    }

    /** A tag of the manifest (the latest moved), for the adapter's report; null when it has none. */
    private String tag(ScanTarget target) throws ScanException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT name FROM tags WHERE manifest_id = ? ORDER BY updated_at DESC, name LIMIT 1")) {
            s.setLong(1, target.manifestId());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new ScanException("could not read the manifest's tags: " + e.getMessage(), true, e);
        }
    }
}
