package io.berth.registry.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.EventType;
import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RepositoryName;
import io.berth.registry.events.OutboxWriter;
import io.berth.registry.metadata.UsageRepository;
import io.berth.registry.metadata.UsageRepository.ProjectState;
import io.berth.registry.security.RequestOrigin;
import io.berth.security.policy.ImmutableTagRule;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The project settings registry-api enforces at write time (docs/adr/0021): the storage quota and
 * the tag immutability rules. Every write that changes what a project holds runs, inside its one
 * transaction: {@link #lock} (the project's usage row, so writes to one project follow one
 * another), {@link Guard#measure} before the change, the change, then {@link Guard#settle}, which
 * measures again, refuses the whole transaction if the growth does not fit the quota, and records
 * the new usage. A refusal is an exception, so the transaction rolls back: no tag moved, no
 * manifest or link stored, no usage counted.
 */
@ApplicationScoped
public class ProjectPolicy {

    /** Usage at or above this share of the quota raises {@code project.quota.warning}, once per crossing. */
    static final int WARNING_PERCENT = 85;

    private static final TypeReference<List<ImmutableTagRule>> RULES = new TypeReference<>() {};

    private final UsageRepository usage;
    private final OutboxWriter outbox;
    private final ObjectMapper json;
    private final Instance<RequestOrigin> origin;

    public ProjectPolicy(UsageRepository usage, OutboxWriter outbox, ObjectMapper json, Instance<RequestOrigin> origin) {
        this.usage = usage;
        this.outbox = outbox;
        this.json = json;
        this.origin = origin;
    }

    /** The locked project of one write, and what the digests it changes held before it. */
    public final class Guard {
        private final ProjectState project;
        private final List<ImmutableTagRule> rules;
        private final boolean locked;
        private Collection<String> blobs = List.of();
        private Collection<String> manifests = List.of();
        private long before;

        private Guard(ProjectState project, boolean locked) {
            this.project = project;
            this.locked = locked;
            this.rules = parse(project.immutableTagRules(), project.name());
        }

        /**
         * Notes what the project holds of these blob and manifest digests before the change; call
         * it once, before changing anything.
         */
        public void measure(Collection<String> blobDigests, Collection<String> manifestDigests) {
            this.blobs = List.copyOf(blobDigests);
            this.manifests = List.copyOf(manifestDigests);
            this.before = held();
        }

        /**
         * After the change: records the difference in usage. Growth beyond the quota is refused
         * (the caller's transaction must then roll back); crossing {@value #WARNING_PERCENT} % of
         * the quota upwards writes {@code project.quota.warning} in this transaction.
         *
         * @param repository the repository written, for the events
         * @return the usage now
         * @throws QuotaExceededException if the project would hold more than its quota
         */
        public long settle(RepositoryName repository) {
            if (!locked) {
                throw new IllegalStateException("only a locked project's usage can change");
            }
            long delta = held() - before;
            long used = project.usedBytes();
            long after = used + delta;
            Long quota = project.quotaBytes();
            if (delta > 0 && quota != null && after > quota) {
                throw new QuotaExceededException(project.name(), repository.value(), used, quota, delta);
            }
            if (delta != 0) {
                usage.add(project.id(), delta);
            }
            if (quota != null && delta > 0 && used < threshold(quota) && after >= threshold(quota)) {
                Map<String, Object> data = event(repository, project.name());
                data.put("usedBytes", after);
                data.put("quotaBytes", quota);
                data.put("percent", quota == 0 ? 100 : (int) Math.min(100, after * 100.0 / quota));
                outbox.write(EventType.PROJECT_QUOTA_WARNING, project.name(), withOrigin(data));
            }
            return after;
        }

        /**
         * Refuses to point {@code tag} at {@code digest} if it matches an immutable rule and
         * already points at another manifest. A new tag may be pushed once; the same digest again
         * is allowed.
         *
         * @param current the digest the tag points at now, or null if it does not exist
         */
        public void checkOverwrite(RepositoryName name, String tag, String current, String digest) {
            if (current != null && !current.equals(digest)) {
                refuseIfImmutable(name, tag, "overwritten");
            }
        }

        /** Refuses the delete if any of {@code tags} (existing tags of {@code name}) is immutable. */
        public void checkDelete(RepositoryName name, Collection<String> tags) {
            for (String tag : tags) {
                refuseIfImmutable(name, tag, "deleted");
            }
        }

        private void refuseIfImmutable(RepositoryName name, String tag, String what) {
            ImmutableTagRule.firstMatch(rules, name.path(), tag).ifPresent(rule -> {
                Map<String, Object> detail = event(name, project.name());
                detail.put("tag", tag);
                detail.put("rule", rule);
                throw new PolicyException(RegistryErrorCode.DENIED, "tag " + tag + " of " + name.value()
                        + " is immutable and cannot be " + what + " (rule " + rule.describe() + " of project "
                        + project.name() + ")", detail);
            });
        }

        private long held() {
            long bytes = 0;
            for (long size : usage.heldBlobs(project.id(), blobs).values()) {
                bytes += size;
            }
            for (long size : usage.heldManifests(project.id(), manifests).values()) {
                bytes += size;
            }
            return bytes;
        }
    }

    /**
     * Locks the project's usage row for the rest of the transaction and reads its quota and
     * rules. Take it before any other row of the project, so writes cannot deadlock.
     */
    public Guard lock(long projectId) {
        return new Guard(usage.lock(projectId), true);
    }

    /**
     * The project's rules without locking anything, for a tag delete: it changes no usage, and
     * the tag row it deletes is all it must hold (BrowseService locks that row first, so taking
     * the usage row after it could deadlock against a push, which takes them the other way).
     */
    public Guard rules(long projectId) {
        return new Guard(usage.settings(projectId), false);
    }

    /**
     * Runs {@code work} in a transaction of its own. When the quota refuses it, the transaction
     * has rolled back; the {@code project.quota.exceeded} event is then written in a second, small
     * transaction of its own (a refused write must leave no trace but that event). A crash
     * between the two loses the event, never data.
     */
    public <T> T recordingRefusals(Supplier<T> work) {
        try {
            return QuarkusTransaction.requiringNew().call(work::get);
        } catch (QuotaExceededException e) {
            Map<String, Object> data = new LinkedHashMap<>(e.facts());
            outbox.write(EventType.PROJECT_QUOTA_EXCEEDED, e.project(), withOrigin(data));
            throw e;
        }
    }

    /** 85 % of {@code quota}, rounded down, without overflowing for any quota. */
    static long threshold(long quota) {
        return quota / 100 * WARNING_PERCENT + quota % 100 * WARNING_PERCENT / 100;
    }

    private static Map<String, Object> event(RepositoryName repository, String project) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("project", project);
        data.put("repository", repository.value());
        return data;
    }

    private Map<String, Object> withOrigin(Map<String, Object> data) {
        if (Arc.container().requestContext().isActive()) {
            RequestOrigin o = origin.get();
            if (o.actor() != null) {
                data.put("actor", o.actor());
            }
            if (o.clientIp() != null) {
                data.put("clientIp", o.clientIp());
            }
        }
        return data;
    }

    private List<ImmutableTagRule> parse(String rules, String project) {
        try {
            return rules == null ? List.of() : json.readValue(rules, RULES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the immutability rules of project " + project
                    + " cannot be read: " + e.getOriginalMessage(), e);
        }
    }
}
