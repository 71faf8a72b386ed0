package io.berth.replicator.policy;

import io.berth.cron.CronSchedule;
import io.berth.errors.ApiException;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.replicator.policy.Policy.Direction;
import io.berth.replicator.policy.Policy.TriggerType;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules a policy obeys whichever shape it came in (berth's or Harbor's, ADR 0039); each broken
 * rule is a 400 naming the field as the request spelt it.
 */
final class PolicyChecks {

    /** The same rule as endpoint names (and scanner and project names). */
    static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
    static final int MAX_NAME = 64;
    static final int MAX_DESCRIPTION = 1000;
    static final String PULL_EVENTS = "pull policies run manually or on a schedule; remote registries send berth no events";

    private PolicyChecks() {}

    static String name(String name, String field) {
        if (name == null || name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest(field + " must be 1 to " + MAX_NAME
                    + " lower-case letters and digits, separated by single '.', '_' or '-'");
        }
        return name;
    }

    static String description(String d, String field) {
        if (d != null && d.length() > MAX_DESCRIPTION) {
            throw ApiException.badRequest(field + " is longer than " + MAX_DESCRIPTION + " characters");
        }
        return d;
    }

    static Direction direction(String d, String field) {
        if ("push".equals(d)) {
            return Direction.PUSH;
        }
        if ("pull".equals(d)) {
            return Direction.PULL;
        }
        throw ApiException.badRequest(field + " must be push (this berth to the endpoint) or pull (the endpoint to"
                + " this berth)" + (d == null ? "" : ", not " + d));
    }

    static TriggerType trigger(String type, String field) {
        String t = type == null ? null : type.toLowerCase(Locale.ROOT);
        return Arrays.stream(TriggerType.values()).filter(v -> v.wire().equals(t)).findFirst()
                .orElseThrow(() -> ApiException.badRequest(field + " must be manual, scheduled or event_based"
                        + (type == null ? "" : ", not " + type)));
    }

    /** The expression as {@link CronSchedule} normalizes it. */
    static String cron(String cron, String field) {
        try {
            return CronSchedule.parse(cron).expression();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field + ": " + e.getMessage());
        }
    }

    /** A repository path prefix (lower-case path segments, as the OCI name rule), or null for none. */
    static String namespace(String ns, String field) {
        if (ns == null || ns.isEmpty()) {
            return null;
        }
        try {
            return RepositoryName.parse(ns).value();
        } catch (RegistryException e) {
            throw ApiException.badRequest(field + " must be a repository path such as library or team/mirror:"
                    + " lower-case letters and digits separated by '.', '_', '__' or dashes, segments separated by '/'");
        }
    }

    static int flatten(int flatten, String field) {
        if (flatten < -1) {
            throw ApiException.badRequest(field + " must be -1 (all path segments but the last), 0 (none) or the"
                    + " number of leading path segments to drop");
        }
        return flatten;
    }

    static int speed(int kib, String field) {
        if (kib < 0) {
            throw ApiException.badRequest(field + " must be 0 (unlimited) or a limit in KiB/s");
        }
        return kib;
    }

    static String pattern(String pattern, String field) {
        try {
            Filters.checkPattern(pattern);
            return pattern;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field + ": " + e.getMessage());
        }
    }

    static String platform(String platform, String field) {
        try {
            Filters.checkPlatform(platform);
            return platform;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field + ": " + e.getMessage());
        }
    }

    /** The kind a wire name stands for (berth's {@code images|charts|referrers|all}). */
    static Optional<Filters.Kind> kind(String wire) {
        return Arrays.stream(Filters.Kind.values()).filter(k -> k.wire().equals(wire)).findFirst();
    }

    /** The rules between fields, checked on the whole policy after the request was applied. */
    static Policy whole(Policy p, String triggerField, String cronField) {
        if (p.direction() == Direction.PULL && p.trigger() == TriggerType.EVENT_BASED) {
            throw ApiException.badRequest(PULL_EVENTS);
        }
        if (p.trigger() == TriggerType.SCHEDULED && p.cron() == null) {
            throw ApiException.badRequest(cronField + " is required with a scheduled " + triggerField
                    + ": a cron expression, e.g. 0 3 * * *");
        }
        if (p.trigger() != TriggerType.SCHEDULED && p.cron() != null) {
            throw ApiException.badRequest(cronField + " is only for a scheduled " + triggerField + ", not "
                    + p.trigger().wire());
        }
        return p;
    }
}
