package io.berth.replicator.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.errors.ApiException;
import io.berth.replicator.config.ReplicatorConfig;
import io.berth.replicator.endpoints.Endpoint;
import io.berth.replicator.endpoints.Endpoints;
import io.berth.replicator.policy.Policy.Direction;
import io.berth.replicator.policy.Policy.TriggerType;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A policy in Harbor's shape, as the seed's example writes it (Harbor 1.x: both registries by URL,
 * {@code projects[].resources}, {@code trigger.schedule}) and as Harbor 2.x's API does where that
 * is cheap (registries by id, {@code filters} as a list, {@code dest_namespace_replace_count},
 * {@code override}, {@code deletion}, {@code speed}), mapped to berth's {@link Policy} (ADR 0039).
 *
 * <p>Which registry is this berth: a side whose URL is one of {@code berth.replicator.local-urls},
 * or (Harbor 2) a side that is absent, null or id 0. The other side must be an endpoint. Source
 * local is a push, destination local a pull.
 */
@Singleton
public final class HarborPolicies {

    static final Set<String> FIELDS = Set.of("name", "description", "enabled", "src_registry", "dest_registry",
            "dest_namespace", "dest_namespace_replace_count", "trigger", "projects", "filters", "override", "deletion",
            "speed");
    /** Harbor's read-only or berth-irrelevant fields, taken and ignored so Harbor's own answers can be sent. */
    static final Set<String> IGNORED = Set.of("id", "creation_time", "update_time", "copy_by_chunk",
            "single_active_replication");
    private static final Set<String> MARKERS = Set.of("src_registry", "dest_registry", "projects", "dest_namespace",
            "dest_namespace_replace_count", "override", "deletion", "speed");
    private static final Set<String> REGISTRY_FIELDS = Set.of("id", "url", "insecure");
    private static final String REGISTRY_SHAPE = "{\"url\", \"insecure\"} or {\"id\"}";

    private final Endpoints endpoints;
    private final List<String> localUrls;

    public HarborPolicies(Endpoints endpoints, ReplicatorConfig config) {
        this.endpoints = endpoints;
        this.localUrls = config.localUrls().stream().map(HarborPolicies::normalize).toList();
    }

    /** Whether a body is in Harbor's shape: it has one of Harbor's fields, or its filters are a list. */
    public static boolean isHarborShape(JsonNode body) {
        return MARKERS.stream().anyMatch(body::has) || body.path("filters").isArray();
    }

    /** The policy the body describes, checked; every mistake is a 400 naming Harbor's field. */
    public Policy map(JsonNode n) {
        Fields.only(n, "", FIELDS, IGNORED);
        String name = PolicyChecks.name(Fields.text(n, "name", ""), "name");
        String description = PolicyChecks.description(Fields.text(n, "description", ""), "description");
        Endpoint src = side(n, "src_registry");
        Endpoint dest = side(n, "dest_registry");
        if (src == null && dest == null) {
            throw ApiException.badRequest("src_registry and dest_registry are both this berth (" + String.join(", ", localUrls)
                    + "); one of them must be a registered endpoint");
        }
        if (src != null && dest != null) {
            throw ApiException.badRequest("neither src_registry nor dest_registry is this berth (berth.replicator.local-urls: "
                    + String.join(", ", localUrls) + "); berth replicates between itself and one endpoint");
        }
        Direction direction = src == null ? Direction.PUSH : Direction.PULL;
        Endpoint endpoint = src == null ? dest : src;

        String namespace = PolicyChecks.namespace(Fields.text(n, "dest_namespace", ""), "dest_namespace");
        Integer replaceCount = Fields.integer(n, "dest_namespace_replace_count", "");
        int flatten = replaceCount != null ? PolicyChecks.flatten(replaceCount, "dest_namespace_replace_count")
                : namespace == null ? 0 : 1;

        JsonNode t = Fields.object(n, "trigger", "", "{\"type\": \"manual\"|\"scheduled\"|\"event_based\", \"schedule\"}");
        TriggerType trigger = TriggerType.MANUAL;
        String cron = null;
        if (t != null) {
            Fields.only(t, "trigger.", Set.of("type", "schedule", "trigger_settings"), Set.of());
            trigger = PolicyChecks.trigger(Fields.text(t, "type", "trigger."), "trigger.type");
            String field = "trigger.schedule";
            String c = Fields.text(t, "schedule", "trigger.");
            JsonNode settings = Fields.object(t, "trigger_settings", "trigger.", "{\"cron\"}");
            if (c == null && settings != null) {
                Fields.only(settings, "trigger.trigger_settings.", Set.of("cron"), Set.of());
                c = Fields.text(settings, "cron", "trigger.trigger_settings.");
                field = "trigger.trigger_settings.cron";
            }
            // Harbor sends an empty cron with a manual trigger.
            cron = c == null || c.isBlank() ? null : PolicyChecks.cron(c, field);
        }

        Filters filters = filters(n);
        Boolean enabled = Fields.bool(n, "enabled", "");
        Boolean override = Fields.bool(n, "override", "");
        Boolean deletion = Fields.bool(n, "deletion", "");
        Integer speed = Fields.integer(n, "speed", "");
        // Harbor's -1 is "unlimited", as berth's 0.
        int speedKib = speed == null || speed == -1 ? 0 : PolicyChecks.speed(speed, "speed");
        String cronField = t != null && t.has("trigger_settings") ? "trigger.trigger_settings.cron" : "trigger.schedule";
        return PolicyChecks.whole(new Policy(0, name, description, enabled == null || enabled, direction, endpoint.id(),
                filters, namespace, flatten, override == null || override, deletion != null && deletion, trigger, cron,
                speedKib, null, null, null, null), "trigger.type", cronField);
    }

    /** The endpoint a side names, or null if that side is this berth. */
    private Endpoint side(JsonNode n, String field) {
        JsonNode r = Fields.object(n, field, "", REGISTRY_SHAPE);
        if (r == null) {
            return null;
        }
        // Harbor 2's registry objects carry more (name, type, credential, status); only these matter.
        String path = field + ".";
        Long id = Fields.id(r, "id", path);
        String url = Fields.text(r, "url", path);
        Boolean insecure = Fields.bool(r, "insecure", path);
        Endpoint e;
        if (id != null) {
            if (id == 0) {
                return null;
            }
            e = endpoints.find(id).orElseThrow(() -> ApiException.badRequest(path + "id " + id
                    + " is no replication endpoint; register it first (POST /api/v1/replication/endpoints)"));
        } else if (url != null) {
            String u = normalize(url);
            if (u == null) {
                throw ApiException.badRequest(path + "url is not an http:// or https:// URL");
            }
            if (localUrls.contains(u)) {
                return null;
            }
            List<Endpoint> matches = endpoints.list().stream().filter(x -> u.equals(normalize(x.url()))).toList();
            if (matches.isEmpty()) {
                throw ApiException.badRequest(path + "url " + u + " is neither this berth (berth.replicator.local-urls)"
                        + " nor a replication endpoint's URL; register the endpoint first (POST /api/v1/replication/endpoints)");
            }
            if (matches.size() > 1) {
                throw ApiException.badRequest(path + "url " + u + " is the URL of several endpoints ("
                        + String.join(", ", matches.stream().map(Endpoint::name).toList()) + "); name one by "
                        + path + "id");
            }
            e = matches.get(0);
        } else {
            return null;
        }
        if (insecure != null && insecure != e.insecure()) {
            throw ApiException.badRequest(path + "insecure is " + insecure + " but endpoint " + e.name() + " ("
                    + e.url() + ") is registered with insecure " + e.insecure() + "; make them agree");
        }
        return e;
    }

    /**
     * {@code projects[].name} become repository patterns {@code <name>/**} and their
     * {@code resources} the kinds; Harbor 2's {@code filters} list of {@code name}, {@code tag}
     * and {@code resource} filters the same.
     */
    private static Filters filters(JsonNode n) {
        List<String> repositories = new ArrayList<>();
        List<String> include = new ArrayList<>();
        List<String> exclude = new ArrayList<>();
        Set<Filters.Kind> kinds = EnumSet.noneOf(Filters.Kind.class);
        JsonNode projects = Fields.array(n, "projects", "");
        Set<Filters.Kind> first = null;
        for (int i = 0; projects != null && i < projects.size(); i++) {
            String path = "projects[" + i + "].";
            JsonNode p = projects.get(i);
            if (!p.isObject()) {
                throw ApiException.badRequest("projects[" + i + "] must be an object: {\"name\", \"resources\": [...]}");
            }
            Fields.only(p, path, Set.of("name", "resources"), Set.of("project_id"));
            String project = Fields.text(p, "name", path);
            if (project == null || !PolicyChecks.NAME.matcher(project).matches()) {
                throw ApiException.badRequest(path + "name must be a project's name: lower-case letters and digits"
                        + " separated by '.', '_' or '-'");
            }
            repositories.add(PolicyChecks.pattern(project + "/**", path + "name"));
            Set<Filters.Kind> these = EnumSet.noneOf(Filters.Kind.class);
            List<String> resources = Fields.strings(p, "resources", path);
            for (int j = 0; j < resources.size(); j++) {
                these.add(resource(resources.get(j), path + "resources[" + j + "]"));
            }
            if (first != null && !first.equals(these)) {
                throw ApiException.badRequest(path + "resources differ from projects[0].resources; a policy copies"
                        + " the same kinds from every project: make one policy per set of resources");
            }
            first = these;
            kinds.addAll(these);
        }
        JsonNode list = Fields.array(n, "filters", "");
        for (int i = 0; list != null && i < list.size(); i++) {
            String path = "filters[" + i + "].";
            JsonNode f = list.get(i);
            if (!f.isObject()) {
                throw ApiException.badRequest("filters[" + i + "] must be an object: {\"type\", \"value\", \"decoration\"}");
            }
            Fields.only(f, path, Set.of("type", "value", "decoration"), Set.of());
            String type = Fields.text(f, "type", path);
            String value = Fields.text(f, "value", path);
            String decoration = Fields.text(f, "decoration", path);
            boolean excludes = "excludes".equals(decoration);
            if (decoration != null && !excludes && !"matches".equals(decoration)) {
                throw ApiException.badRequest(path + "decoration must be matches or excludes");
            }
            if (value == null) {
                throw ApiException.badRequest(path + "value is required");
            }
            switch (type == null ? "" : type) {
                case "name" -> {
                    if (excludes || projects != null) {
                        throw ApiException.badRequest(path + (excludes
                                ? "decoration excludes is not supported for names; berth selects repositories by matching patterns"
                                : "type name and projects both select repositories; give one of them"));
                    }
                    repositories.add(PolicyChecks.pattern(value, path + "value"));
                }
                case "tag" -> (excludes ? exclude : include).add(PolicyChecks.pattern(value, path + "value"));
                case "resource" -> {
                    if (excludes) {
                        throw ApiException.badRequest(path + "decoration excludes is not supported for resources");
                    }
                    kinds.add(resource(value, path + "value"));
                }
                default -> throw ApiException.badRequest(path + "type must be name, tag or resource"
                        + (type == null ? "" : ", not " + type) + (("label").equals(type) ? " (berth has no labels)" : ""));
            }
        }
        return new Filters(repositories, include, exclude, kinds, List.of(), false);
    }

    /** A Harbor resource name as a kind: image, chart, signature|sbom|referrer, artifact|all. */
    static Filters.Kind resource(String r, String field) {
        return switch (r.toLowerCase(Locale.ROOT)) {
            case "image" -> Filters.Kind.IMAGES;
            case "chart" -> Filters.Kind.CHARTS;
            case "signature", "sbom", "referrer" -> Filters.Kind.REFERRERS;
            case "artifact", "all" -> Filters.Kind.ALL;
            default -> throw ApiException.badRequest(field + " must be image, chart, signature, sbom, referrer,"
                    + " artifact or all, not " + r);
        };
    }

    /** scheme://host[:port][/path] with scheme and host in lower case and no trailing slash; null if not http(s). */
    static String normalize(String url) {
        try {
            URI u = new URI(url.trim());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getRawAuthority() == null) {
                return null;
            }
            String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
            return scheme + "://" + u.getRawAuthority().toLowerCase(Locale.ROOT) + path;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
