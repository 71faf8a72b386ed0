package io.berth.replicator.execution;

import io.berth.replicator.endpoints.Endpoint;
import io.berth.replicator.endpoints.Endpoints;
import io.berth.replicator.local.LocalRegistry;
import io.berth.replicator.policy.Policy;
import io.berth.replicator.remote.RegistryClient;
import io.berth.replicator.remote.RemoteException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two ends of a policy's copies: this berth ({@link LocalRegistry}) and the policy's endpoint,
 * source and destination as its direction says. An endpoint's client is kept while the endpoint
 * is unchanged, so its tokens are reused across tasks; a changed endpoint gets a new one.
 */
@ApplicationScoped
public class Ends {

    /** A policy's source and destination. */
    public record Pair(RegistryClient source, RegistryClient destination, RegistryClient remote) {}

    private record Cached(OffsetDateTime updatedAt, RegistryClient client) {}

    private final LocalRegistry local;
    private final Endpoints endpoints;
    private final Map<Long, Cached> clients = new ConcurrentHashMap<>();

    public Ends(LocalRegistry local, Endpoints endpoints) {
        this.local = local;
        this.endpoints = endpoints;
    }

    /**
     * @throws RemoteException REJECTED (not transient) if the policy's endpoint was deleted
     */
    public Pair of(Policy policy) {
        RegistryClient remote = endpoint(policy.endpointId());
        return policy.direction() == Policy.Direction.PUSH ? new Pair(local.client(), remote, remote)
                : new Pair(remote, local.client(), remote);
    }

    /** The policy's endpoint as a row (its type decides how candidates are listed). */
    Endpoint endpointOf(Policy policy) {
        return endpoints.find(policy.endpointId()).orElseThrow(() -> gone(policy.endpointId()));
    }

    private RegistryClient endpoint(long id) {
        Endpoint e = endpoints.find(id).orElseThrow(() -> gone(id));
        Cached c = clients.get(id);
        if (c == null || !c.updatedAt().equals(e.updatedAt())) {
            c = new Cached(e.updatedAt(), endpoints.client(e));
            clients.put(id, c);
        }
        return c.client();
    }

    private static RemoteException gone(long id) {
        return new RemoteException(RemoteException.Reason.REJECTED, "replication endpoint " + id + " no longer exists");
    }
}
