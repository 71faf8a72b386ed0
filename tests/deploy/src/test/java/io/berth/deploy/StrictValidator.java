package io.berth.deploy;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks one rendered object against its schema as strictly as the API server with
 * {@code --validate=strict} would: every field must be one the model names, every value of
 * the model's type.
 *
 * <p>Both model families are lenient by design, so strictness is added here. fabric8's classes
 * collect unknown fields in {@code additionalProperties} (a {@code @JsonAnySetter}) and
 * Strimzi's do the same through {@code UnknownPropertyPreserving}; Jackson's
 * FAIL_ON_UNKNOWN_PROPERTIES therefore never fires. Instead the input JSON tree is walked beside
 * the deserialized object: at each JSON object, the names Jackson knows for the value's runtime
 * class (so polymorphic Strimzi types are checked as the subtype they became) are the allowed
 * field names, and each other name is reported with its path. Type mismatches are Jackson's own
 * errors, with scalar coercions (a string for a number, a number for a string) turned off, as
 * Kubernetes has them off.
 */
final class StrictValidator {

    private static final ObjectMapper MAPPER = strictMapper();
    private static final Map<Class<?>, Map<String, Optional<AnnotatedMember>>> PROPERTIES = new ConcurrentHashMap<>();

    private StrictValidator() {}

    /** Every problem with the object, each as {@code Kind/name: path: what}; empty when it is valid. */
    static List<String> check(JsonNode object) {
        String prefix = Manifests.id(object) + ": ";
        List<String> problems = new ArrayList<>();
        for (String p : checkPaths(object)) {
            problems.add(prefix + p);
        }
        return problems;
    }

    /** The problems as {@code path: what}, without the object's name. */
    static List<String> checkPaths(JsonNode object) {
        List<String> problems = new ArrayList<>();
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            return List.of("apiVersion and kind are required");
        }
        if (object.path("metadata").path("name").asText("").isEmpty()) {
            problems.add("metadata.name: required");
        }
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        Optional<Schemas.Unmodelled> unmodelled = Schemas.Unmodelled.of(group, kind);
        if (unmodelled.isPresent()) {
            problems.addAll(unmodelled.get().check(object));
            return problems;
        }
        Optional<Class<?>> model = Schemas.model(apiVersion, kind);
        if (model.isEmpty()) {
            problems.add("apiVersion/kind: " + apiVersion + " " + kind + " is not an API of Kubernetes "
                    + Schemas.KUBERNETES_API + " (fabric8 " + Schemas.FABRIC8_MODEL + ", GA versions only) nor of Strimzi "
                    + Schemas.STRIMZI_API + ", and no other schema here knows it");
            return problems;
        }
        Object value;
        try {
            value = MAPPER.treeToValue(object, model.get());
        } catch (JsonMappingException e) {
            problems.add(path(e) + ": " + e.getOriginalMessage());
            return problems;
        } catch (Exception e) {
            problems.add("(object): " + e.getMessage());
            return problems;
        }
        walk(object, value, "", problems);
        return problems;
    }

    private static void walk(JsonNode json, Object value, String path, List<String> problems) {
        if (value == null) {
            return;
        }
        if (json.isArray() && value instanceof List<?> list) {
            for (int i = 0; i < json.size() && i < list.size(); i++) {
                walk(json.get(i), list.get(i), path + "[" + i + "]", problems);
            }
            return;
        }
        if (!json.isObject() || value instanceof JsonNode) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                walk(f.getValue(), map.get(f.getKey()), join(path, f.getKey()), problems);
            }
            return;
        }
        if (value instanceof Collection<?> || value.getClass().getName().startsWith("java.")) {
            return;
        }
        Map<String, Optional<AnnotatedMember>> known = properties(value.getClass());
        if (known.isEmpty()) {
            return; // a free-form type (AnyType, a JSON value): nothing to check inside
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String childPath = join(path, f.getKey());
            if (!known.containsKey(f.getKey())) {
                problems.add(childPath + ": unknown field \"" + f.getKey() + "\" in " + value.getClass().getSimpleName());
                continue;
            }
            Optional<AnnotatedMember> accessor = known.get(f.getKey());
            if (accessor.isPresent()) {
                walk(f.getValue(), accessor.get().getValue(value), childPath, problems);
            }
        }
    }

    /** The JSON names Jackson reads for a class, with how to read each back (if it can). */
    private static Map<String, Optional<AnnotatedMember>> properties(Class<?> c) {
        return PROPERTIES.computeIfAbsent(c, cls -> {
            JavaType type = MAPPER.constructType(cls);
            Map<String, Optional<AnnotatedMember>> readers = new HashMap<>();
            for (BeanPropertyDefinition d : MAPPER.getSerializationConfig().introspect(type).findProperties()) {
                readers.put(d.getName(), Optional.ofNullable(d.getAccessor()));
            }
            Map<String, Optional<AnnotatedMember>> known = new HashMap<>();
            for (BeanPropertyDefinition d : MAPPER.getDeserializationConfig().introspect(type).findProperties()) {
                if (d.hasSetter() || d.hasField() || d.hasConstructorParameter()) {
                    known.put(d.getName(), readers.getOrDefault(d.getName(), Optional.empty()));
                }
            }
            // A type discriminator that is not itself a property (include = PROPERTY).
            for (Class<?> k = cls; k != null && k != Object.class; k = k.getSuperclass()) {
                JsonTypeInfo info = k.getAnnotation(JsonTypeInfo.class);
                if (info != null && !info.property().isEmpty()) {
                    known.putIfAbsent(info.property(), Optional.empty());
                }
            }
            return known;
        });
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            } else if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
            }
        }
        return b.length() == 0 ? "(object)" : b.toString();
    }

    private static ObjectMapper strictMapper() {
        JsonMapper m = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .build();
        for (LogicalType t : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        for (CoercionInputShape s : List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
            m.coercionConfigFor(LogicalType.Textual).setCoercion(s, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return m;
    }
}
