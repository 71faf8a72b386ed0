package io.berth.replicator.execution;

import io.berth.replicator.endpoints.EndpointType;
import io.berth.replicator.execution.TaskQueue.NewTask;
import io.berth.replicator.policy.Filters;
import io.berth.replicator.policy.Policy;
import io.berth.replicator.remote.RegistryClient;
import io.berth.replicator.remote.RemoteException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * What a manual or scheduled execution copies: the source's repositories (its catalog) that the
 * policy's filters match, and their tags that the filters match, one copy task per tag. A source
 * whose catalog cannot be listed (Docker Hub has none; many registries refuse it to their users)
 * is asked for the repositories the filters name without a wildcard.
 */
@ApplicationScoped
public class Candidates {

    private static final Logger LOG = Logger.getLogger(Candidates.class);

    private final Ends ends;

    public Candidates(Ends ends) {
        this.ends = ends;
    }

    /**
     * @throws RemoteException when the source cannot be listed
     */
    List<NewTask> list(Policy policy) {
        RegistryClient source = ends.of(policy).source();
        boolean push = policy.direction() == Policy.Direction.PUSH;
        Filters filters = policy.filters();
        List<NewTask> tasks = new ArrayList<>();
        for (String repository : repositories(policy, source, push)) {
            if (!filters.matchesRepository(repository)) {
                continue;
            }
            String destination = policy.destinationRepository(repository);
            String project = (push ? repository : destination).split("/", 2)[0];
            for (String tag : source.tags(repository)) {
                if (filters.matchesTag(tag)) {
                    tasks.add(new NewTask("copy", project, repository, tag, destination, tag, null, null, null));
                }
            }
        }
        return tasks;
    }

    private List<String> repositories(Policy policy, RegistryClient source, boolean push) {
        List<String> named = policy.filters().repositories().stream().filter(p -> !isPattern(p)).toList();
        if (!push && ends.endpointOf(policy).type() == EndpointType.DOCKER_HUB) {
            return named;
        }
        try {
            return source.catalog();
        } catch (RemoteException e) {
            if (e.transientFailure() || named.isEmpty()) {
                throw e;
            }
            LOG.infof("the catalog of policy %s's source was refused (%s); listing the repositories it names: %s",
                    policy.name(), e.getMessage(), named);
            return named;
        }
    }

    private static boolean isPattern(String p) {
        return p.chars().anyMatch(ch -> ch == '*' || ch == '?' || ch == '[' || ch == '{');
    }
}
