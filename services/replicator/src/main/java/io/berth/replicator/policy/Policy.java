package io.berth.replicator.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * A replication policy (a row of {@code replication_policies}, ADR 0038): what is copied, in which
 * direction, to or from which endpoint, when, and how.
 *
 * @param direction {@code PUSH}: this berth is the source and the endpoint the destination;
 *     {@code PULL}: the other way round
 * @param filters what is copied (repositories, tags, artifact types, platforms)
 * @param destNamespace the destination namespace (the seed's {@code dest_namespace}), or null to
 *     keep the source repository's path
 * @param flatten how many leading path segments of the source repository are dropped before
 *     {@code destNamespace} is put in front: 0 none, -1 all but the last (Harbor's
 *     {@code dest_namespace_replace_count})
 * @param overwrite whether a tag that exists at the destination with another digest is moved
 * @param replicateDeletion whether a delete at the source deletes at the destination
 * @param cron for {@code SCHEDULED} only, else null
 * @param speedKib the bandwidth limit of one copy in KiB/s; 0 is unlimited
 */
public record Policy(long id, String name, String description, boolean enabled, Direction direction, long endpointId,
        Filters filters, String destNamespace, int flatten, boolean overwrite, boolean replicateDeletion,
        TriggerType trigger, String cron, int speedKib, String createdBy, Instant createdAt, String updatedBy,
        Instant updatedAt) {

    public Policy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(filters, "filters");
        Objects.requireNonNull(trigger, "trigger");
    }

    /**
     * The destination repository of source repository {@code source}: its first {@code flatten}
     * path segments dropped (-1: all but the last; never the last), then {@code destNamespace}
     * put in front if there is one. {@code myapp/web/frontend} with namespace {@code library} is
     * {@code library/myapp/web/frontend} with flatten 0, {@code library/web/frontend} with 1 and
     * {@code library/frontend} with -1.
     */
    public String destinationRepository(String source) {
        String[] segments = source.split("/");
        int drop = flatten < 0 ? segments.length - 1 : Math.min(flatten, segments.length - 1);
        String rest = String.join("/", java.util.Arrays.copyOfRange(segments, drop, segments.length));
        return destNamespace == null || destNamespace.isEmpty() ? rest : destNamespace + "/" + rest;
    }

    public enum Direction {
        PUSH, PULL;

        public String wire() {
            return name().toLowerCase();
        }
    }

    public enum TriggerType {
        MANUAL("manual"), SCHEDULED("scheduled"), EVENT_BASED("event_based");

        private final String wire;

        TriggerType(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }
}
