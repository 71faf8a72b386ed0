package io.berth.replicator.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.berth.replicator.config.ReplicatorConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How LocalRegistry signs in to this berth, from the configuration as SmallRye reads it. */
class LocalRegistryTest {

    private static LocalRegistry with(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of("berth.replicator.credentials.secret",
                "a-test-secret-of-enough-length"));
        props.putAll(extra);
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().withMapping(ReplicatorConfig.class)
                .withSources(new PropertiesConfigSource(props, "test", 500)).build();
        return new LocalRegistry(config.getConfigMapping(ReplicatorConfig.class));
    }

    @Test
    void theServiceAccountWithItsSecretAtRegistryApiByDefault() {
        var target = with(Map.of("berth.replicator.service.secret", "replicator-secret-123456")).client().target();
        assertEquals("http://127.0.0.1:8081", target.url().toString());
        assertEquals("service$replicator", target.username(), "the $ is no expression");
        assertEquals("replicator-secret-123456", target.password());
    }

    @Test
    void withoutASecretItIsAnonymous() {
        var target = with(Map.of("berth.replicator.service.secret", "")).client().target();
        assertFalse(target.hasCredentials());
        assertNull(target.username());
        assertFalse(with(Map.of()).client().target().hasCredentials());
    }
}
