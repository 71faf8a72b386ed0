package io.berth.replicator.local;

import io.berth.replicator.config.ReplicatorConfig;
import io.berth.replicator.remote.RegistryClient;
import io.berth.replicator.remote.RemoteTarget;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import org.jboss.logging.Logger;

/**
 * This berth as one end of a copy (ADR 0038): a {@link RegistryClient} of registry-api at
 * {@code berth.replicator.registry.url}, signed in as {@code berth.replicator.service.username}
 * with {@code berth.replicator.service.secret} (the registry challenges, the client fetches a
 * token from auth, as for any remote). So what the replicator writes here passes registry-api's
 * checks (quotas, immutability) and makes the same events as any push. Without a secret it is
 * anonymous: it reads public projects only and cannot write, which is logged at start.
 */
@ApplicationScoped
public class LocalRegistry {

    private static final Logger LOG = Logger.getLogger(LocalRegistry.class);

    private final RegistryClient client;

    public LocalRegistry(ReplicatorConfig config) {
        String secret = config.service().secret().filter(s -> !s.isBlank()).orElse(null);
        String user = secret == null ? null : config.service().username();
        this.client = new RegistryClient(new RemoteTarget(URI.create(config.registry().url()), false, user, secret,
                config.remoteConnectTimeout(), config.remoteTimeout()));
    }

    void warnIfAnonymous(@Observes StartupEvent started) {
        if (!client.target().hasCredentials()) {
            LOG.warn("berth.replicator.service.secret (BERTH_REPLICATOR_SERVICE_SECRET) is not set: the replicator"
                    + " reaches this berth anonymously, so it replicates public projects only and cannot pull into it");
        }
    }

    /** The client of this berth. */
    public RegistryClient client() {
        return client;
    }
}
