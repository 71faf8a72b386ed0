package io.berth.scanner.registry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * scanner-bridge's own identity at auth's token service ({@link ServiceTokens}): the service
 * account {@code service$<name>} that auth knows from {@code berth.auth.service-accounts}
 * (docs/security.md, "Service accounts"). auth's address is {@code berth.scanner.auth.url}.
 */
@ConfigMapping(prefix = "berth.scanner.service")
public interface ServiceAccountConfig {

    /** The account's name without the {@code service$} prefix. */
    @WithDefault("scanner-bridge")
    String name();

    /**
     * The account's secret, the same as auth's {@code berth.auth.service-accounts."<name>".secret}
     * (environment: {@code BERTH_SCANNER_SERVICE_SECRET} for both). Unset, scanner-bridge has no
     * identity: what needs one (the SBOM's publication) waits and says why.
     */
    Optional<String> secret();

    /**
     * A cached token is used until this long before it expires, so that a request made with it
     * does not meet its end on the way.
     */
    @WithDefault("PT30S")
    Duration refreshBefore();
}
