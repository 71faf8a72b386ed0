package io.berth.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
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

    /**
     * Subjects that may push an index whose child manifests are not all in the repository (a
     * sparse index, ADR 0040): the replicator, which copies the platforms a policy selects with
     * the index's original bytes. Everyone else must push every child first, as distribution's
     * default ({@code validation.manifests.indexes.platforms: all}) wants.
     */
    @WithDefault("service$replicator")
    Set<String> sparseIndexWriters();

    interface RestrictedWriter {
        /**
         * The {@code artifactType}s (the manifest's own, or its config's media type, as the
         * referrers API reports it) this subject may push; anything else is refused.
         */
        Set<String> artifactTypes();
    }
}
