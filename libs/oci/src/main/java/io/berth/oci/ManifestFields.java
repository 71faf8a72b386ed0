package io.berth.oci;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the typed fields of a manifest's JSON tree for {@link ManifestParser}. Every method
 * takes the JSON path of what it reads ({@code layers[2]}) and fails with MANIFEST_INVALID whose
 * detail starts with that path, so a client can tell which part of a large index is wrong.
 *
 * <p>An optional field that is JSON {@code null} counts as absent, as Go's encoding/json (which
 * most clients are written with) treats it. Not public API.
 */
final class ManifestFields {

    private ManifestFields() {
    }

    /** {@code parent.field}, or just {@code field} at the top level. */
    static String path(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }

    /** The member, or {@code null} when it is absent or JSON null. */
    static JsonNode member(JsonNode object, String field) {
        JsonNode n = object.get(field);
        return n == null || n.isNull() ? null : n;
    }

    /**
     * A descriptor object at {@code path}; its platform is read only for children of an index,
     * the one place the image-spec defines it (elsewhere it is an unknown field, ignored).
     */
    static Descriptor descriptor(JsonNode node, String path, boolean withPlatform) {
        if (node == null) {
            throw invalid(path + " is missing");
        }
        if (!node.isObject()) {
            throw invalid(path + " must be an object, got " + describe(node));
        }
        String mediaType = mediaType(node, path, true);
        Digest digest = digest(node, path);
        long size = size(node, path);
        String artifactType = mediaType(node, path, false, "artifactType");
        Map<String, String> annotations = annotations(node, path);
        JsonNode platform = withPlatform ? member(node, "platform") : null;
        return new Descriptor(mediaType, digest, size, artifactType, annotations,
                platform == null ? null : platform(platform, path(path, "platform")));
    }

    /** The array of descriptors {@code field}, which must be present (it may be empty). */
    static List<Descriptor> descriptors(JsonNode root, String field, boolean withPlatform) {
        JsonNode array = member(root, field);
        if (array == null) {
            throw invalid(field + " is missing");
        }
        if (!array.isArray()) {
            throw invalid(field + " must be an array, got " + describe(array));
        }
        List<Descriptor> list = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            list.add(descriptor(array.get(i), field + "[" + i + "]", withPlatform));
        }
        return list;
    }

    /** {@code mediaType} of the object at {@code path}; null only when optional and absent. */
    static String mediaType(JsonNode object, String path, boolean required) {
        return mediaType(object, path, required, "mediaType");
    }

    /** A media-type-valued {@code field} (mediaType, artifactType) of the object at {@code path}. */
    static String mediaType(JsonNode object, String path, boolean required, String field) {
        String at = path(path, field);
        String value = string(object, field, at, required);
        if (value != null && !isMediaType(value)) {
            throw invalid(at + " " + Inputs.quote(value) + " is not a media type of the form type/subtype");
        }
        return value;
    }

    /** The string {@code field}; null when optional and absent. */
    static String string(JsonNode object, String field, String at, boolean required) {
        JsonNode n = member(object, field);
        if (n == null) {
            if (required) {
                throw invalid(at + " is missing");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw invalid(at + " must be a string, got " + describe(n));
        }
        return n.textValue();
    }

    /** The optional {@code annotations} object of the object at {@code path}; empty if absent. */
    static Map<String, String> annotations(JsonNode object, String path) {
        String at = path(path, "annotations");
        JsonNode n = member(object, "annotations");
        if (n == null) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw invalid(at + " must be an object of strings, got " + describe(n));
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!e.getValue().isTextual()) {
                throw invalid(at + "[" + Inputs.quote(e.getKey()) + "] must be a string, got "
                        + describe(e.getValue()));
            }
            map.put(e.getKey(), e.getValue().textValue());
        }
        return map;
    }

    private static Digest digest(JsonNode object, String path) {
        String at = path(path, "digest");
        String value = string(object, "digest", at, true);
        try {
            return Digest.parse(value);
        } catch (RegistryException e) {
            // Inside a manifest the document is at fault, not a digest the client addressed.
            throw invalid(at + " is not a valid digest: " + e.detail());
        }
    }

    private static long size(JsonNode object, String path) {
        String at = path(path, "size");
        JsonNode n = member(object, "size");
        if (n == null) {
            throw invalid(at + " is missing");
        }
        // isIntegralNumber rejects 1.0 and 1e3; canConvertToLong rejects what overflows a long.
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw invalid(at + " must be an integer of at least 0, got " + describe(n));
        }
        return n.longValue();
    }

    private static Platform platform(JsonNode node, String at) {
        if (!node.isObject()) {
            throw invalid(at + " must be an object, got " + describe(node));
        }
        return new Platform(
                string(node, "architecture", path(at, "architecture"), true),
                string(node, "os", path(at, "os"), true),
                string(node, "variant", path(at, "variant"), false));
    }

    /**
     * RFC 6838 section 4.2: {@code type "/" subtype}, each a restricted-name of 1 to 127
     * characters starting with a letter or digit. Parameters are not part of a descriptor's
     * media type, so ';' is rejected like any other character outside the grammar.
     */
    static boolean isMediaType(String s) {
        int slash = s.indexOf('/');
        return slash > 0 && isRestrictedName(s, 0, slash)
                && isRestrictedName(s, slash + 1, s.length());
    }

    private static boolean isRestrictedName(String s, int from, int to) {
        if (to - from < 1 || to - from > 127 || !Inputs.isAlnum(s.charAt(from))) {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            char c = s.charAt(i);
            if (!(Inputs.isAlnum(c) || "!#$&-^_.+".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** What a value is, for a detail: numbers and booleans verbatim, other kinds by name. */
    static String describe(JsonNode n) {
        if (n.isNumber() || n.isBoolean()) {
            String text = n.asText();
            return text.length() <= 40 ? text : text.substring(0, 40) + "...";
        }
        if (n.isTextual()) {
            return "the string " + Inputs.quote(n.textValue());
        }
        return n.isArray() ? "an array" : n.isObject() ? "an object" : "null";
    }

    static RegistryException invalid(String detail) {
        return RegistryException.of(RegistryErrorCode.MANIFEST_INVALID, detail);
    }
}
