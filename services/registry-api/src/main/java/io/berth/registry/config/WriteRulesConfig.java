package io.berth.registry.config;

import io.smallrye.config.ConfigMapping;
import java.util.Map;
import java.util.Set;

/**
 * Token subjects whose manifest pushes are limited to artifacts attached to another manifest
 * (service/WriteRules, docs/security.md "Service accounts"): by subject name,
 * {@code berth.registry.restricted-writers."service$scanner-bridge".artifact-types=application/vnd.cyclonedx+json}.
 * A subject not named here writes whatever its token allows.
 */
@ConfigMapping(prefix = "berth.registry")
public interface WriteRulesConfig {

    /** The restricted subjects. */
    Map<String, RestrictedWriter> restrictedWriters();

    interface RestrictedWriter {
        /**
         * The {@code artifactType}s (the manifest's own, or its config's media type, as the
         * referrers API reports it) this subject may push; anything else is refused.
         */
        Set<String> artifactTypes();
    }
}
