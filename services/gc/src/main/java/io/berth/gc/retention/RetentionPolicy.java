package io.berth.gc.retention;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.berth.security.policy.Glob;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A project's retention policy. In each repository that one of its enabled rules selects, what
 * the rules retain stays and everything else is deleted, except artifacts with an immutable tag;
 * repositories no enabled rule selects are left alone. The semantics are in ADR 0029 and
 * {@link Evaluator}; scheduling and execution are the gc service's.
 *
 * <pre>{@code
 * {"rules":[{"template":"latestPushedK","params":{"count":3},
 *            "repositories":{"decoration":"repoMatches","pattern":"frontend"},
 *            "tags":{"decoration":"matches","pattern":"**","untagged":false}}]}
 * }</pre>
 *
 * <p>The constructor checks everything, disabled rules included, and refuses with an
 * {@link IllegalArgumentException} whose message names the rule by its position from 1 and the
 * field, e.g. {@code rule 2: latestPushedK needs params.count, a whole number from 0 to 10000}:
 * a client's mistake, for a 400. Jackson wraps it when it builds the policy;
 * {@link #fromJson(String)} unwraps it.
 *
 * @param rules up to {@value #MAX_RULES} rules (Harbor's limit); none means retention does nothing
 */
public record RetentionPolicy(List<RetentionRule> rules) {

    /** The most rules a policy holds, as in Harbor. */
    public static final int MAX_RULES = 15;
    /** The largest {@code count}. */
    public static final int MAX_COUNT = 10_000;
    /** The largest {@code days}: a hundred years. */
    public static final int MAX_DAYS = 36_500;

    /** Strict on types and fields: a mistyped field is refused rather than read as absent. */
    private static final ObjectMapper JSON = strictMapper();

    public RetentionPolicy {
        if (rules == null) {
            throw new IllegalArgumentException("a retention policy needs \"rules\", a list of up to " + MAX_RULES
                    + " rules");
        }
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException("a retention policy has at most " + MAX_RULES + " rules, not "
                    + rules.size());
        }
        for (int i = 0; i < rules.size(); i++) {
            check("rule " + (i + 1), rules.get(i));
        }
        rules = Collections.unmodifiableList(new ArrayList<>(rules));
    }

    /** A policy of these rules. */
    public static RetentionPolicy of(RetentionRule... rules) {
        return new RetentionPolicy(List.of(rules));
    }

    /**
     * Reads a policy from its JSON, refusing unknown fields and mistyped values.
     *
     * @throws IllegalArgumentException with a message for the client if the JSON is malformed,
     *     has another shape, or the policy is invalid
     */
    public static RetentionPolicy fromJson(String json) {
        RetentionPolicy policy;
        try {
            policy = JSON.readValue(json, RetentionPolicy.class);
        } catch (JsonProcessingException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof IllegalArgumentException iae) {
                    throw iae;
                }
            }
            throw new IllegalArgumentException("a retention policy is JSON like {\"rules\":[...]}: " + problem(e), e);
        }
        if (policy == null) {
            throw new IllegalArgumentException("a retention policy is JSON like {\"rules\":[...]}, not null");
        }
        return policy;
    }

    private static void check(String name, RetentionRule rule) {
        if (rule == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (rule.template() == null) {
            throw new IllegalArgumentException(name + ": \"template\" is missing; one of " + RetentionTemplate.ids());
        }
        RetentionTemplate template = RetentionTemplate.byId(rule.template())
                .orElseThrow(() -> new IllegalArgumentException(name + ": unknown template \"" + rule.template()
                        + "\"; one of " + RetentionTemplate.ids()));
        checkParams(name, template, rule.params() == null ? RetentionParams.NONE : rule.params());

        RepositorySelector repositories = rule.repositories();
        if (repositories == null) {
            throw new IllegalArgumentException(name + ": \"repositories\" is missing, e.g. "
                    + "{\"decoration\":\"repoMatches\",\"pattern\":\"**\"}");
        }
        checkDecoration(name + ": repositories.decoration", repositories.decoration(), RepositorySelector.MATCHES,
                RepositorySelector.EXCLUDES);
        checkGlob(name + ": repositories.pattern", repositories.pattern());

        TagSelector tags = rule.tags();
        if (tags == null) {
            throw new IllegalArgumentException(name + ": \"tags\" is missing, e.g. "
                    + "{\"decoration\":\"matches\",\"pattern\":\"**\",\"untagged\":false}");
        }
        checkDecoration(name + ": tags.decoration", tags.decoration(), TagSelector.MATCHES, TagSelector.EXCLUDES);
        checkGlob(name + ": tags.pattern", tags.pattern());
    }

    private static void checkParams(String name, RetentionTemplate template, RetentionParams params) {
        String wanted = template.parameter();
        if (params.count() != null && !"count".equals(wanted)) {
            throw new IllegalArgumentException(name + ": params.count is not a parameter of " + template.id()
                    + (wanted == null ? ", which takes none" : "; it takes params." + wanted));
        }
        if (params.days() != null && !"days".equals(wanted)) {
            throw new IllegalArgumentException(name + ": params.days is not a parameter of " + template.id()
                    + (wanted == null ? ", which takes none" : "; it takes params." + wanted));
        }
        if ("count".equals(wanted)) {
            checkRange(name, template, wanted, params.count(), MAX_COUNT);
        } else if ("days".equals(wanted)) {
            checkRange(name, template, wanted, params.days(), MAX_DAYS);
        }
    }

    private static void checkRange(String name, RetentionTemplate template, String param, Integer value, int max) {
        if (value == null || value < 0 || value > max) {
            throw new IllegalArgumentException(name + ": " + template.id() + " needs params." + param
                    + ", a whole number from 0 to " + max + (value == null ? "" : ", not " + value));
        }
    }

    private static void checkDecoration(String name, String decoration, String matches, String excludes) {
        if (!matches.equals(decoration) && !excludes.equals(decoration)) {
            throw new IllegalArgumentException(name + " is \"" + matches + "\" or \"" + excludes + "\""
                    + (decoration == null ? "" : ", not \"" + decoration + "\""));
        }
    }

    private static void checkGlob(String name, String pattern) {
        try {
            Glob.validate(name, pattern);
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith(name)) {
                throw e;
            }
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /** What is wrong, in words without Java's: {@code rules[0].params.count is a whole number}. */
    private static String problem(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m) || m.getPath().isEmpty()) {
            return e.getOriginalMessage();
        }
        String where = path(m);
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = new ArrayList<>();
            u.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
            Collections.sort(known);
            return where + " is not a field; the fields are " + String.join(", ", known);
        }
        if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            Class<?> type = mi.getTargetType();
            String wanted = type == Integer.class || type == int.class ? "a whole number"
                    : type == Boolean.class || type == boolean.class ? "true or false"
                    : type == String.class ? "a string"
                    : List.class.isAssignableFrom(type) ? "a list"
                    : "an object";
            return where + " is " + wanted;
        }
        return where + ": " + e.getOriginalMessage();
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
        // "3" for a number, or "true" for a boolean, is a mistake rather than a number.
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        return mapper;
    }
}
