package io.berth.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.events.Topics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka topics are named once, in docs/events.md's table "Partitions, retention and
 * consumer groups"; everything else that names them must agree with it: libs/events' Topics
 * (plus the dead-letter topic), the services' incoming channels and consumer groups, the
 * Strimzi KafkaTopics of k8s/overlays/ha, and the topics docker-compose.yml and
 * k8s/overlays/dev create with kafka-topics.
 */
class TopicsAgreeTest {

    static final String DEAD_LETTER = "berth.dead-letter";

    /** kafka-topics(.sh) ... up to the end of the command (newline, ;, &&, ||). */
    private static final Pattern KAFKA_TOPICS = Pattern.compile("kafka-topics(?:\\.sh)?\\b([^\\n;&|]*)");

    static TopicTable table() {
        return TopicTable.ofEventsDoc(Repo.read("docs/events.md"));
    }

    @Test
    void libsEventsNamesTheTopicsOfTheTable() {
        assertAgree(topicsJava());
    }

    @Test
    void theServicesConsumeWhatTheTableSays() {
        assertAgree(serviceProperties());
    }

    @Test
    void haDeclaresTheTopicsAsKafkaTopics() {
        Map<String, TopicTable.Topic> topics = new TreeMap<>();
        for (ObjectNode t : Manifests.ofKind(Manifests.render("k8s/overlays/ha"), "KafkaTopic")) {
            String name = t.at("/spec/topicName").asText(Manifests.name(t));
            JsonNode retention = t.at("/spec/config/retention.ms");
            topics.put(name, new TopicTable.Topic(t.at("/spec/partitions").isInt() ? t.at("/spec/partitions").asInt() : -1,
                    retention.isMissingNode() ? -1L : Long.parseLong(retention.asText()), null));
        }
        assertAgree(new TopicTable("k8s/overlays/ha (KafkaTopic)", topics));
    }

    @Test
    void composeCreatesTheTopics() {
        StringBuilder text = new StringBuilder();
        strings(ComposeConfigTest.compose(), text);
        Path helpers = Repo.root().resolve("deploy/compose");
        if (Files.isDirectory(helpers)) {
            try (Stream<Path> files = Files.walk(helpers)) {
                files.filter(Files::isRegularFile).forEach(f -> text.append('\n').append(Repo.read(f)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertAgree(created("docker-compose.yml (kafka-topics)", text.toString()));
    }

    @Test
    void devCreatesTheTopics() {
        StringBuilder text = new StringBuilder();
        for (ObjectNode o : Manifests.render("k8s/overlays/dev")) {
            strings(o, text);
        }
        assertAgree(created("k8s/overlays/dev (kafka-topics)", text.toString()));
    }

    @Test
    void aDisagreementFailsNamingBothSides() {
        TopicTable docs = table();
        TopicTable.Topic artifacts = docs.topics().get("berth.artifacts");
        Map<String, TopicTable.Topic> changed = new TreeMap<>(docs.topics());
        changed.put("berth.artifacts", new TopicTable.Topic(artifacts.partitions() + 1, artifacts.retentionMs(),
                Set.of("gc:berth-gc")));
        changed.remove("berth.audit");
        changed.put("berth.typo", new TopicTable.Topic(null, null, null));
        List<String> problems = docs.disagreements(new TopicTable("a changed copy", changed));
        assertEquals(List.of(
                "berth.artifacts: partitions 12 in docs/events.md, 13 in a changed copy",
                "berth.artifacts: consumers (service:group) " + artifacts.consumers()
                        + " in docs/events.md, [gc:berth-gc] in a changed copy",
                "docs/events.md has topic berth.audit, a changed copy does not",
                "a changed copy has topic berth.typo, docs/events.md does not"), problems);
        // and the parsers themselves see a change: a created topic with other partitions
        TopicTable compose = created("x", "kafka-topics.sh --create --topic berth.scans --partitions 5 "
                + "--config retention.ms=604800000 --bootstrap-server kafka:9092");
        assertEquals(5, compose.topics().get("berth.scans").partitions());
        assertTrue(docs.disagreements(compose).contains("berth.scans: partitions 6 in docs/events.md, 5 in x"));
        TopicTable script = created("y", """
                topic() { # name partitions retention.ms
                  "$bin/kafka-topics.sh" --bootstrap-server "$b" --create --if-not-exists \\
                    --topic "$1" --partitions "$2" --config "retention.ms=$3"
                }
                topic berth.audit 6 604800000    # 7 days
                """);
        assertEquals(List.of("berth.audit: retention.ms 2592000000 in docs/events.md, 604800000 in y"),
                docs.disagreements(script).stream().filter(p -> p.startsWith("berth.audit")).toList());
        TopicTable loop = created("z", """
                for t in "berth.audit 6 2592000000" \\
                         "berth.scans 7 604800000"; do
                  set -- $t
                  kafka-topics.sh --create --topic "$1" --partitions "$2" --config retention.ms="$3"
                done
                """);
        assertEquals(List.of("berth.scans: partitions 6 in docs/events.md, 7 in z"),
                docs.disagreements(loop).stream().filter(p -> p.startsWith("berth.scans")).toList());
    }

    private static void assertAgree(TopicTable other) {
        List<String> problems = table().disagreements(other);
        assertEquals("", String.join("\n", problems), "docs/events.md and " + other.source() + " disagree");
    }

    static TopicTable topicsJava() {
        Map<String, TopicTable.Topic> topics = new TreeMap<>();
        for (Field f : Topics.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    topics.put((String) f.get(null), new TopicTable.Topic(null, null, null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        topics.put(DEAD_LETTER, new TopicTable.Topic(null, null, null));
        return new TopicTable("libs/events Topics.java (+ " + DEAD_LETTER + ")", topics);
    }

    /** Topics and groups of every service's incoming channels (and dead-letter topics), %test. left out. */
    static TopicTable serviceProperties() {
        Map<String, Set<String>> consumers = new TreeMap<>();
        for (String svc : Repo.SERVICES) {
            Properties props = new Properties();
            try {
                props.load(new StringReader(Repo.read("services/" + svc + "/src/main/resources/application.properties")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, List<String>> channelTopics = new HashMap<>();
            Map<String, String> channelGroups = new HashMap<>();
            for (String key : props.stringPropertyNames()) {
                Matcher m = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.(topics?|group\\.id|dead-letter-queue\\.topic)").matcher(key);
                if (!m.matches()) {
                    continue;
                }
                String value = props.getProperty(key).strip();
                switch (m.group(2)) {
                    case "topic", "topics" -> channelTopics.put(m.group(1), List.of(value.split("\\s*,\\s*")));
                    case "group.id" -> channelGroups.put(m.group(1), value);
                    default -> consumers.computeIfAbsent(value, t -> new TreeSet<>());
                }
            }
            channelTopics.forEach((channel, names) -> {
                String group = channelGroups.getOrDefault(channel, "(no group.id: " + channel + ")");
                names.forEach(t -> consumers.computeIfAbsent(t, x -> new TreeSet<>()).add(svc + ":" + group));
            });
        }
        Map<String, TopicTable.Topic> topics = new TreeMap<>();
        consumers.forEach((t, c) -> topics.put(t, new TopicTable.Topic(null, null, c)));
        assertFalse(topics.isEmpty(), "no service consumes a topic");
        return new TopicTable("services/*/application.properties", topics);
    }

    /**
     * The topics that kafka-topics --create invocations in a text create. An invocation inside a
     * shell function whose arguments are {@code $1}, {@code $2}... is read once per call of that
     * function ({@code topic berth.audit 6 2592000000}).
     */
    static TopicTable created(String source, String text) {
        String flat = text.replace("\\\n", " ");
        Map<String, TopicTable.Topic> topics = new TreeMap<>();
        Matcher m = KAFKA_TOPICS.matcher(flat);
        while (m.find()) {
            List<String> args = List.of(m.group(1).trim().split("\\s+"));
            if (!args.contains("--create")) {
                continue;
            }
            if (m.group(1).matches("(?s).*\"?\\$\\d.*")) {
                List<List<String>> calls = positionalSets(flat.substring(0, m.start()), flat);
                assertFalse(calls.isEmpty(), source + ": kafka-topics with $1... neither in a shell function nor in a "
                        + "for ... in \"name partitions retention\" loop: " + m.group());
                for (List<String> positional : calls) {
                    List<String> bound = new ArrayList<>();
                    for (String a : args) {
                        String v = unquote(a);
                        Matcher ref = Pattern.compile("\\$\\{?(\\d)}?").matcher(v);
                        StringBuilder b = new StringBuilder();
                        while (ref.find()) {
                            int i = Integer.parseInt(ref.group(1)) - 1;
                            ref.appendReplacement(b, Matcher.quoteReplacement(i < positional.size() ? unquote(positional.get(i)) : ""));
                        }
                        ref.appendTail(b);
                        bound.add(b.toString());
                    }
                    add(topics, source, bound);
                }
            } else {
                add(topics, source, args);
            }
        }
        assertFalse(topics.isEmpty(), source + ": no kafka-topics --create found");
        return new TopicTable(source, topics);
    }

    private static void add(Map<String, TopicTable.Topic> topics, String source, List<String> args) {
        String name = null;
        Integer partitions = null;
        Long retention = null;
        for (int i = 0; i + 1 < args.size(); i++) {
            String value = unquote(args.get(i + 1));
            switch (args.get(i)) {
                case "--topic" -> name = value;
                case "--partitions" -> partitions = Integer.valueOf(value);
                case "--config" -> {
                    if (value.startsWith("retention.ms=")) {
                        retention = Long.valueOf(value.substring("retention.ms=".length()));
                    }
                }
                default -> { }
            }
        }
        assertTrue(name != null && !name.contains("$"), source + ": cannot tell which topic this creates: " + args);
        topics.put(name, new TopicTable.Topic(partitions == null ? -1 : partitions, retention == null ? -1L : retention, null));
    }

    /**
     * The argument lists ($1, $2, ...) a kafka-topics invocation runs with: the calls of the shell
     * function it is in ({@code name() {} before it), or else the words of the
     * {@code for t in "a 1 2" "b 3 4"; do set -- $t} loop it is in.
     */
    private static List<List<String>> positionalSets(String before, String all) {
        List<List<String>> sets = new ArrayList<>();
        Matcher f = Pattern.compile("([A-Za-z_][\\w-]*)\\s*\\(\\)\\s*\\{").matcher(before);
        String function = null;
        int functionAt = -1;
        while (f.find()) {
            function = f.group(1);
            functionAt = f.start();
        }
        Matcher loop = Pattern.compile("for\\s+\\w+\\s+in\\s+([^;]*);\\s*do\\s+set\\s+--").matcher(before);
        String words = null;
        int loopAt = -1;
        while (loop.find()) {
            words = loop.group(1);
            loopAt = loop.start();
        }
        if (words != null && loopAt > functionAt) {
            Matcher w = Pattern.compile("\"([^\"]*)\"|'([^']*)'").matcher(words);
            while (w.find()) {
                sets.add(List.of((w.group(1) != null ? w.group(1) : w.group(2)).trim().split("\\s+")));
            }
        } else if (function != null) {
            Matcher call = Pattern.compile("(?m)^\\s*" + Pattern.quote(function) + "\\s+([^#\\n]+)").matcher(all);
            while (call.find()) {
                sets.add(List.of(call.group(1).trim().split("\\s+")));
            }
        }
        return sets;
    }

    private static String unquote(String s) {
        return s.replace("\"", "").replace("'", "");
    }

    /** Every string in a JSON tree, one a line, so commands and scripts in ConfigMaps are searched alike. */
    private static void strings(JsonNode node, StringBuilder out) {
        if (node.isTextual()) {
            out.append(node.asText()).append('\n');
        } else {
            node.forEach(n -> strings(n, out));
        }
    }
}
