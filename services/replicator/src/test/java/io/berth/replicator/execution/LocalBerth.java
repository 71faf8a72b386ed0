package io.berth.replicator.execution;

import io.berth.replicator.support.Distribution;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * "This berth" for the replicator's tests: a docker-registry with htpasswd that
 * {@code LocalRegistry} reaches with the service account's configuration.
 */
public class LocalBerth implements QuarkusTestResourceLifecycleManager {

    static Distribution registry;

    @Override
    public Map<String, String> start() {
        try {
            registry = Distribution.withPassword();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("berth.replicator.registry.url", registry.url(), "berth.replicator.service.username",
                Distribution.USER, "berth.replicator.service.secret", Distribution.PASSWORD);
    }

    @Override
    public void stop() {
        try {
            if (registry != null) {
                registry.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
