package io.berth.replicator.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.errors.ApiException;
import io.berth.replicator.endpoints.Endpoints;
import io.berth.replicator.policy.Policy.Direction;
import io.berth.replicator.policy.Policy.TriggerType;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Set;

/**
 * Reads and checks the policy API's bodies into a {@link Policy} to store (id and audit fields
 * unset); every mistake is a 400 naming the field (ADR 0039). berth's shape is
 * <pre>{"name", "description", "enabled", "direction": "push"|"pull", "endpointId" (or "endpoint": {"id"}),
 *  "filters": {...}, "destNamespace", "flatten", "overwrite", "replicateDeletion",
 *  "trigger": {"type": "manual"|"scheduled"|"event_based", "cron"}, "speedKib"}</pre>
 * the fields of an answer that cannot be set ({@code id}, {@code createdBy}, ...) are ignored, so
 * an answer can be sent back changed. A body in Harbor's shape ({@code src_registry},
 * {@code dest_registry}, {@code projects}, ...) goes to {@link HarborPolicies}.
 */
@Singleton
public final class PolicyRequests {

    static final Set<String> FIELDS = Set.of("name", "description", "enabled", "direction", "endpointId", "endpoint",
            "filters", "destNamespace", "flatten", "overwrite", "replicateDeletion", "trigger", "speedKib");
    static final Set<String> READ_ONLY = Set.of("id", "createdBy", "createdAt", "updatedBy", "updatedAt");
    private static final String TRIGGER_SHAPE = "{\"type\": \"manual\"|\"scheduled\"|\"event_based\", \"cron\"}";

    private final ObjectMapper json;
    private final Endpoints endpoints;
    private final HarborPolicies harbor;

    public PolicyRequests(ObjectMapper json, Endpoints endpoints, HarborPolicies harbor) {
        this.json = json;
        this.endpoints = endpoints;
        this.harbor = harbor;
    }

    /** A new policy from a create body, in berth's shape or Harbor's. */
    public Policy create(String body) {
        JsonNode node = object(body);
        if (HarborPolicies.isHarborShape(node)) {
            return harbor.map(node);
        }
        return berth(node, null);
    }

    /** {@code current} changed as an update body says: fields left out keep their value; Harbor's shape replaces it all. */
    public Policy update(Policy current, String body) {
        JsonNode node = object(body);
        if (HarborPolicies.isHarborShape(node)) {
            return harbor.map(node);
        }
        return berth(node, current);
    }

    private Policy berth(JsonNode n, Policy current) {
        Fields.only(n, "", FIELDS, READ_ONLY);
        boolean create = current == null;
        String name = n.has("name") || create ? PolicyChecks.name(Fields.text(n, "name", ""), "name") : current.name();
        String description = n.has("description")
                ? PolicyChecks.description(Fields.text(n, "description", ""), "description")
                : create ? null : current.description();
        Boolean enabled = Fields.bool(n, "enabled", "");
        Direction direction = n.has("direction") || create
                ? PolicyChecks.direction(Fields.text(n, "direction", ""), "direction") : current.direction();
        long endpointId = endpoint(n, current);
        Filters filters = n.has("filters") || create ? FiltersJson.parse(n.get("filters")) : current.filters();

        String namespace = n.has("destNamespace")
                ? PolicyChecks.namespace(Fields.text(n, "destNamespace", ""), "destNamespace")
                : create ? null : current.destNamespace();
        Integer flatten = Fields.integer(n, "flatten", "");
        int flat;
        if (flatten != null) {
            flat = PolicyChecks.flatten(flatten, "flatten");
        } else if (create || (namespace == null) != (current.destNamespace() == null)) {
            // A namespace given without flatten replaces the source's project, as in the seed's
            // example and Harbor; without a namespace the path is kept whole.
            flat = namespace == null ? 0 : 1;
        } else {
            flat = current.flatten();
        }
        Boolean overwrite = Fields.bool(n, "overwrite", "");
        Boolean deletion = Fields.bool(n, "replicateDeletion", "");

        TriggerType trigger = create ? TriggerType.MANUAL : current.trigger();
        String cron = create ? null : current.cron();
        JsonNode t = Fields.object(n, "trigger", "", TRIGGER_SHAPE);
        if (t != null) {
            Fields.only(t, "trigger.", Set.of("type", "cron"), Set.of());
            TriggerType before = trigger;
            if (t.has("type")) {
                trigger = PolicyChecks.trigger(Fields.text(t, "type", "trigger."), "trigger.type");
            }
            if (t.has("cron")) {
                String c = Fields.text(t, "cron", "trigger.");
                cron = c == null ? null : PolicyChecks.cron(c, "trigger.cron");
            } else if (trigger != TriggerType.SCHEDULED || before != TriggerType.SCHEDULED) {
                cron = null;
            }
        }
        Integer speed = Fields.integer(n, "speedKib", "");
        int speedKib = speed != null ? PolicyChecks.speed(speed, "speedKib") : create ? 0 : current.speedKib();

        return PolicyChecks.whole(new Policy(create ? 0 : current.id(), name, description,
                enabled != null ? enabled : create || current.enabled(), direction, endpointId, filters, namespace, flat,
                overwrite != null ? overwrite : create || current.overwrite(),
                deletion != null ? deletion : !create && current.replicateDeletion(), trigger, cron, speedKib,
                null, null, null, null), "trigger", "trigger.cron");
    }

    /** {@code endpointId}, or {@code endpoint.id}: an endpoint that exists. */
    private long endpoint(JsonNode n, Policy current) {
        Long id = Fields.id(n, "endpointId", "");
        String field = "endpointId";
        JsonNode e = Fields.object(n, "endpoint", "", "{\"id\"}");
        if (e != null) {
            Long other = Fields.id(e, "id", "endpoint.");
            if (id != null && other != null && !id.equals(other)) {
                throw ApiException.badRequest("endpointId and endpoint.id name different endpoints; give one");
            }
            if (id == null) {
                id = other;
                field = "endpoint.id";
            }
        }
        if (id == null) {
            if (current != null) {
                return current.endpointId();
            }
            throw ApiException.badRequest("endpointId is required: the id of the endpoint to push to or pull from");
        }
        long found = id;
        if (endpoints.find(found).isEmpty()) {
            throw ApiException.badRequest(field + " " + found + " is no replication endpoint; register it first"
                    + " (POST /api/v1/replication/endpoints)");
        }
        return found;
    }

    private JsonNode object(String body) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        return node;
    }
}
