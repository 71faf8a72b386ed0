package io.berth.scanner.vulndb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vuln_affected.ranges}: OSV's own {@code ranges[]} shape
 * ({@code [{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2"}]}]}), so the stored
 * column reads like the record it came from.
 */
final class RangesJson {

    private RangesJson() {}

    static String write(ObjectMapper json, List<OsvRange> ranges) {
        ArrayNode out = json.createArrayNode();
        for (OsvRange r : ranges) {
            ObjectNode range = out.addObject().put("type", r.type());
            ArrayNode events = range.putArray("events");
            r.events().forEach(e -> events.addObject().put(e.kind().field(), e.version()));
        }
        return out.toString();
    }

    static List<OsvRange> read(ObjectMapper json, String text) {
        try {
            JsonNode root = json.readTree(text);
            List<OsvRange> out = new ArrayList<>();
            for (JsonNode r : root) {
                List<OsvRange.Event> events = new ArrayList<>();
                for (JsonNode e : r.path("events")) {
                    var field = e.fieldNames().next();
                    events.add(new OsvRange.Event(OsvRange.Kind.ofField(field), e.get(field).asText()));
                }
                out.add(new OsvRange(r.path("type").asText(), events));
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("vuln_affected.ranges is not what RangesJson writes: " + e.getMessage(), e);
        }
    }
}
