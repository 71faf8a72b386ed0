package io.berth.scanner.scanners;

import io.berth.security.crypto.SecretCipher;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.scanner.adapter.AdapterClient;
import io.berth.scanner.adapter.AdapterException;
import io.berth.scanner.adapter.AdapterMetadata;
import io.berth.scanner.adapter.AuthKind;
import io.berth.scanner.adapter.ScannerEndpoint;
import io.berth.scanner.adapter.SpecMediaTypes;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The registered scanners: the built-in {@code berth} (always there, not deletable) and adapters
 * of the Pluggable Scanner API. An adapter is stored only after its metadata was read with the
 * credentials given and says it writes a vulnerability report berth reads for image manifests;
 * its secret is encrypted ({@link SecretCipher}) and never returned or logged.
 *
 * <p>For the scan flow: {@link #forProject} says which scanner applies to a project, and
 * {@link #endpoint} turns an adapter's row into what {@link AdapterClient#scan} needs.
 */
@ApplicationScoped
public class ScannerRegistry {

    private static final Logger LOG = Logger.getLogger(ScannerRegistry.class);

    /** What a registration or change asks for, validated by {@link ScannerRequests}. */
    record Registration(String name, String url, AuthKind auth, String secret, boolean insecure, String description) {
        @Override
        public String toString() {
            return "Registration[" + name + ", " + url + ", auth=" + auth.wire() + "]";
        }
    }

    private final ScannerRepository repository;
    private final AdapterClient client;
    private final SecretCipher cipher;

    public ScannerRegistry(ScannerRepository repository, AdapterClient client, ScannerRegistryConfig config) {
        this.repository = repository;
        this.client = client;
        this.cipher = new SecretCipher(config.secret(), "berth.scanner.scanners.secret");
    }

    public List<ScannerRow> list() {
        return repository.list();
    }

    public Optional<ScannerRow> find(String name) {
        return repository.find(name);
    }

    /** The scanner that scans project {@code projectId}'s artifacts: its choice if any, else the system default. */
    public Optional<ScannerRow> forProject(long projectId) {
        return repository.projectChoice(projectId).filter(s -> !s.disabled()).or(repository::defaultScanner);
    }

    /**
     * How to reach adapter {@code row}, its secret decrypted.
     *
     * @throws IllegalArgumentException for the built-in scanner, which is reached in-process
     * @throws IllegalStateException if the stored secret cannot be decrypted (another {@code berth.scanner.scanners.secret})
     */
    public ScannerEndpoint endpoint(ScannerRow row) {
        if (row.builtin()) {
            throw new IllegalArgumentException("the built-in scanner is reached in-process, not over HTTP");
        }
        String secret = row.sealedSecret() == null ? null : cipher.open(row.sealedSecret(), row.name());
        return new ScannerEndpoint(row.name(), URI.create(row.url()), row.auth(), secret, row.insecure());
    }

    /** Reads the adapter's metadata and registers it; 400 if it does not answer the spec, 409 if the name is taken. */
    ScannerRow register(Registration r) {
        if (repository.find(r.name()).isPresent()) {
            throw taken(r.name());
        }
        check(r);
        try {
            return repository.insert(r.name(), r.url(), r.auth(), seal(r.name(), r.secret()), r.insecure(),
                    r.description());
        } catch (ScannerRepository.NameTaken e) {
            throw taken(r.name());
        }
    }

    /**
     * Changes an adapter; the metadata is read again when where or how it is reached changes.
     * {@code secret} null keeps the stored one (same auth kind only).
     */
    ScannerRow update(ScannerRow current, Registration r, boolean disabled) {
        byte[] sealed;
        if (r.auth() == AuthKind.NONE) {
            sealed = null;
        } else if (r.secret() != null) {
            sealed = seal(r.name(), r.secret());
        } else if (r.auth() == current.auth() && current.sealedSecret() != null) {
            sealed = current.sealedSecret();
        } else {
            throw ApiException.badRequest("auth " + r.auth().wire() + " needs a secret");
        }
        if (disabled && current.isDefault()) {
            throw new ApiException(ApiErrorCode.CONFLICT, "scanner " + current.name()
                    + " is the default; make another scanner the default before disabling it");
        }
        boolean reach = !r.url().equals(current.url()) || r.auth() != current.auth() || r.secret() != null
                || r.insecure() != current.insecure();
        if (reach) {
            String secret = r.secret() != null ? r.secret() : sealed == null ? null : cipher.open(sealed, r.name());
            check(new Registration(r.name(), r.url(), r.auth(), secret, r.insecure(), r.description()));
        }
        return repository.update(r.name(), r.url(), r.auth(), sealed, r.insecure(), disabled, r.description())
                .orElseThrow(() -> ApiException.notFound("no scanner " + r.name()));
    }

    /** Changes the built-in scanner's description, the one thing of it that can change. */
    ScannerRow describeBuiltin(ScannerRow current, String description) {
        return repository.update(current.name(), current.url(), current.auth(), current.sealedSecret(), current.insecure(),
                current.disabled(), description).orElseThrow(() -> ApiException.notFound("no scanner " + current.name()));
    }

    void delete(ScannerRow row) {
        if (row.builtin()) {
            throw new ApiException(ApiErrorCode.CONFLICT, "the built-in scanner " + row.name() + " cannot be deleted");
        }
        if (row.isDefault()) {
            throw new ApiException(ApiErrorCode.CONFLICT, "scanner " + row.name()
                    + " is the default; make another scanner the default before deleting it");
        }
        if (!repository.delete(row.name())) {
            throw ApiException.notFound("no scanner " + row.name());
        }
    }

    ScannerRow makeDefault(ScannerRow row) {
        if (row.disabled()) {
            throw new ApiException(ApiErrorCode.CONFLICT, "scanner " + row.name() + " is disabled and cannot be the default");
        }
        if (!repository.makeDefault(row.name())) {
            throw ApiException.notFound("no enabled scanner " + row.name());
        }
        return repository.find(row.name()).orElseThrow(() -> ApiException.notFound("no scanner " + row.name()));
    }

    /** The adapter's metadata, read now. */
    AdapterMetadata metadata(ScannerRow row) throws AdapterException {
        return client.metadata(endpoint(row));
    }

    private void check(Registration r) {
        ScannerEndpoint endpoint = new ScannerEndpoint(r.name(), URI.create(r.url()), r.auth(), r.secret(), r.insecure());
        AdapterMetadata metadata;
        try {
            metadata = client.metadata(endpoint);
        } catch (AdapterException e) {
            LOG.infof("scanner %s at %s refused for registration: %s", r.name(), r.url(), e.reason());
            throw ApiException.badRequest(r.url() + " does not answer the Pluggable Scanner API's GET /api/v1/metadata ("
                    + e.reason().name().toLowerCase() + "): " + e.getMessage());
        }
        if (metadata.vulnerabilityReportType().isEmpty()) {
            throw ApiException.badRequest("scanner " + metadata.name() + " at " + r.url() + " produces no vulnerability"
                    + " report berth reads for image manifests (" + SpecMediaTypes.VULN_REPORT_1_1 + " or "
                    + SpecMediaTypes.VULN_REPORT_HARBOR_1_0 + ")");
        }
    }

    private byte[] seal(String name, String secret) {
        return secret == null ? null : cipher.seal(secret, name);
    }

    private static ApiException taken(String name) {
        return new ApiException(ApiErrorCode.CONFLICT, "a scanner named " + name + " exists");
    }
}
