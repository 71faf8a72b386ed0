package io.berth.scanner.adapter;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** berth as a client of scanner adapters (Pluggable Scanner API v1.1); every key has a documented default. */
@ConfigMapping(prefix = "berth.scanner.adapter")
public interface AdapterClientConfig {

    /** How long opening a connection to an adapter may take. */
    @WithDefault("PT10S")
    Duration connectTimeout();

    /** How long one request may wait for the adapter's answer. */
    @WithDefault("PT30S")
    Duration requestTimeout();

    /** How long one scan may wait for its reports in all, polling as {@code Refresh-After} says. */
    @WithDefault("PT10M")
    Duration maxReportWait();

    /** The wait between polls when a 302 carries no usable {@code Refresh-After}. */
    @WithDefault("PT5S")
    Duration defaultRefreshAfter();

    /** The shortest wait between polls, whatever {@code Refresh-After} says (0 would be a busy loop). */
    @WithDefault("PT1S")
    Duration minRefreshAfter();

    /** The longest wait between polls, whatever {@code Refresh-After} says. */
    @WithDefault("PT1M")
    Duration maxRefreshAfter();

    /** The largest answer read from an adapter (a report with its SBOM). */
    @WithDefault("64M")
    MemorySize maxResponseSize();

    /**
     * berth's registry as adapters reach it, the scan request's {@code registry.url}: the
     * gateway's public address ({@code https://registry.example}), without {@code /v2}. The
     * default is the local stack's gateway; an adapter in another host or pod needs the address
     * it can resolve.
     */
    @WithDefault("http://127.0.0.1:5000")
    String registryUrl();
}
