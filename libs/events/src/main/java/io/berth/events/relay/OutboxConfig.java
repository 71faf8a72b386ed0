package io.berth.events.relay;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The outbox relay of a service ({@link RelayRunner}). A service that writes outbox rows turns
 * it on with {@code berth.outbox.relay.enabled=true}; every replica then runs one, and the
 * replicas of all services share the slots (docs/adr/0017-outbox-relay.md).
 */
@ConfigMapping(prefix = "berth.outbox")
public interface OutboxConfig {

    /** The relay itself. */
    Relay relay();

    /** Published rows are kept this long (for inspection), then pruned. */
    @WithDefault("PT1H")
    Duration keepPublished();

    interface Relay {
        /** Runs a relay in this replica. Off by default: only services that write outbox rows need one. */
        @WithDefault("false")
        boolean enabled();

        /**
         * How often the relay writes its heartbeat and rebalances the slots: the longest the
         * slots of a stopped or crashed relay wait for the others.
         */
        @WithDefault("PT1S")
        Duration heartbeat();

        /**
         * How old a relay's heartbeat may be before it counts as dead (frozen, cut off from
         * PostgreSQL) and its session is ended, freeing its slots: the bound on a hung relay.
         * Must be longer than {@code send-timeout} plus {@code heartbeat}.
         */
        @WithDefault("PT45S")
        Duration stale();

        /** How long a round waits for Kafka's acknowledgements before it counts as failed. */
        @WithDefault("PT30S")
        Duration sendTimeout();
    }
}
