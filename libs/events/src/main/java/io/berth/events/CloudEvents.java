package io.berth.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/** The CloudEvents 1.0 structured-mode JSON envelope every berth event travels in. */
public final class CloudEvents {

    private CloudEvents() {}

    /**
     * The envelope of one event, as JSON text.
     *
     * @param source the emitting service, e.g. {@code /berth/registry-api}
     * @param subject what the event is about, also its Kafka key (a repository, a project)
     * @param time when it happened, RFC 3339
     * @param data the payload, turned into JSON by {@code json}
     */
    public static String envelope(ObjectMapper json, EventType type, UUID id, String source, String subject,
            Object data, String time) {
        ObjectNode envelope = json.createObjectNode()
                .put("specversion", "1.0")
                .put("id", id.toString())
                .put("source", source)
                .put("type", type.wire())
                .put("subject", subject)
                .put("time", time)
                .put("datacontenttype", "application/json");
        envelope.set("data", json.valueToTree(data));
        return envelope.toString();
    }
}
