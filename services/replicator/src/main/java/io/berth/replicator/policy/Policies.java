package io.berth.replicator.policy;

import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The replication policies system administrators manage: stored through {@link PolicyRepository},
 * with its refusals turned into the API's (409 for a taken name, 400 for an endpoint deleted
 * between the request's check and the write), and each change logged with who made it.
 */
@ApplicationScoped
public class Policies {

    private static final Logger LOG = Logger.getLogger(Policies.class);

    private final PolicyRepository rows;

    public Policies(PolicyRepository rows) {
        this.rows = rows;
    }

    /** Every policy by name, or the one named {@code name} if it is given. */
    public List<Policy> list(String name) {
        return name == null ? rows.list() : rows.findByName(name).map(List::of).orElse(List.of());
    }

    public Optional<Policy> find(long id) {
        return rows.find(id);
    }

    /** @throws ApiException CONFLICT if the name is taken */
    public Policy create(Policy spec, String by) {
        try {
            Policy p = rows.insert(spec, by);
            LOG.infof("%s created replication policy %d %s (%s, endpoint %d, %s)", by, p.id(), p.name(),
                    p.direction().wire(), p.endpointId(), p.trigger().wire());
            return p;
        } catch (PolicyRepository.NameTaken taken) {
            throw conflict(spec.name());
        } catch (PolicyRepository.EndpointGone gone) {
            throw endpointGone(spec.endpointId());
        }
    }

    /** @throws ApiException CONFLICT if the new name is taken, NOT_FOUND if it was deleted meanwhile */
    public Policy update(Policy current, Policy spec, String by) {
        try {
            Policy p = rows.update(current.id(), spec, by).orElseThrow(() -> notFound(current.id()));
            LOG.infof("%s changed replication policy %d %s", by, p.id(), p.name());
            return p;
        } catch (PolicyRepository.NameTaken taken) {
            throw conflict(spec.name());
        } catch (PolicyRepository.EndpointGone gone) {
            throw endpointGone(spec.endpointId());
        }
    }

    /** Deletes the policy and its executions. @throws ApiException NOT_FOUND if there is none */
    public void delete(long id, String by) {
        if (!rows.delete(id)) {
            throw notFound(id);
        }
        LOG.infof("%s deleted replication policy %d", by, id);
    }

    private static ApiException conflict(String name) {
        return new ApiException(ApiErrorCode.CONFLICT, "a replication policy named " + name + " exists already");
    }

    private static ApiException endpointGone(long id) {
        return ApiException.badRequest("endpointId " + id + " is no replication endpoint (it was just deleted)");
    }

    public static ApiException notFound(long id) {
        return ApiException.notFound("no replication policy " + id);
    }
}
