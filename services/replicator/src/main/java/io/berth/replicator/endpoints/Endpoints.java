package io.berth.replicator.endpoints;

import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.replicator.config.ReplicatorConfig;
import io.berth.replicator.remote.RegistryClient;
import io.berth.replicator.remote.RemoteTarget;
import io.berth.security.crypto.SecretCipher;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The remote registries replication copies to and from: their rows, their passwords sealed with
 * {@link SecretCipher} under {@code berth.replicator.credentials.secret} (the endpoint's name as
 * associated data, so a sealed password copied to another row does not open there), and a
 * {@link RegistryClient} for each. Passwords are opened only to build a client; they are never
 * returned, and never logged ({@link Endpoint}, {@link EndpointSpec} and {@link RemoteTarget}
 * leave them out of {@code toString}).
 */
@ApplicationScoped
public class Endpoints {

    private static final Logger LOG = Logger.getLogger(Endpoints.class);
    private static final String SETTING = "berth.replicator.credentials.secret";

    private final EndpointRepository rows;
    private final ReplicatorConfig config;
    private final SecretCipher cipher;

    public Endpoints(EndpointRepository rows, ReplicatorConfig config) {
        this.rows = rows;
        this.config = config;
        this.cipher = new SecretCipher(config.credentials().secret(), SETTING);
    }

    public List<Endpoint> list() {
        return rows.list();
    }

    public Optional<Endpoint> find(long id) {
        return rows.find(id);
    }

    /** @throws ApiException CONFLICT if the name is taken */
    public Endpoint create(EndpointSpec spec, String by) {
        try {
            Endpoint e = rows.insert(spec, seal(spec, null), by);
            LOG.infof("%s registered replication endpoint %s", by, e);
            return e;
        } catch (EndpointRepository.NameTaken taken) {
            throw conflict(spec.name());
        }
    }

    /**
     * Changes {@code current} to {@code spec}; a password the spec does not replace is kept
     * (sealed anew if the name changed).
     *
     * @throws ApiException CONFLICT if the new name is taken, NOT_FOUND if it was deleted meanwhile
     */
    public Endpoint update(Endpoint current, EndpointSpec spec, String by) {
        try {
            Endpoint e = rows.update(current.id(), spec, seal(spec, current), by)
                    .orElseThrow(() -> notFound(current.id()));
            LOG.infof("%s changed replication endpoint %s", by, e);
            return e;
        } catch (EndpointRepository.NameTaken taken) {
            throw conflict(spec.name());
        }
    }

    /** @throws ApiException NOT_FOUND if there is no such endpoint, CONFLICT naming the policies that use it */
    public void delete(long id, String by) {
        try {
            if (!rows.delete(id)) {
                throw notFound(id);
            }
        } catch (EndpointRepository.InUse inUse) {
            throw new ApiException(ApiErrorCode.CONFLICT, "endpoint " + id + " is used by replication "
                    + (inUse.policies().isEmpty() ? "policies"
                            : (inUse.policies().size() == 1 ? "policy " : "policies ") + String.join(", ", inUse.policies()))
                    + "; delete them or move them to another endpoint first");
        }
        LOG.infof("%s deleted replication endpoint %d", by, id);
    }

    /** A client of the endpoint, its password opened. */
    public RegistryClient client(Endpoint e) {
        String password = e.hasCredentials() ? open(e) : null;
        return client(e.url(), e.insecure(), e.username(), password);
    }

    /** A client of an endpoint as a spec describes it (a ping before it is saved). */
    public RegistryClient client(EndpointSpec spec) {
        return client(spec.url(), spec.insecure(), spec.username(), spec.password());
    }

    private RegistryClient client(String url, boolean insecure, String username, String password) {
        return new RegistryClient(new RemoteTarget(URI.create(url), insecure, username, password,
                config.remoteConnectTimeout(), config.remoteTimeout()));
    }

    private byte[] seal(EndpointSpec spec, Endpoint current) {
        if (spec.username() == null) {
            return null;
        }
        String password = spec.password() != null ? spec.password() : open(current);
        return cipher.seal(password, spec.name());
    }

    private String open(Endpoint e) {
        try {
            return cipher.open(e.sealedPassword(), e.name());
        } catch (IllegalStateException x) {
            LOG.errorf("the password of replication endpoint %s cannot be opened: %s", e.name(), x.getMessage());
            throw new ApiException(ApiErrorCode.CONFLICT, "the stored password of endpoint " + e.name()
                    + " cannot be decrypted (was " + SETTING + " changed?); give the credential again");
        }
    }

    private static ApiException conflict(String name) {
        return new ApiException(ApiErrorCode.CONFLICT, "an endpoint named " + name + " exists already");
    }

    static ApiException notFound(long id) {
        return ApiException.notFound("no replication endpoint " + id);
    }
}
