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

    /** The topics that kafka-topics --create invocations in a text create. */
    static TopicTable created(String source, String text) {
        Map<String, TopicTable.Topic> topics = new TreeMap<>();
        Matcher m = KAFKA_TOPICS.matcher(text.replace("\\\n", " "));
        while (m.find()) {
            String[] args = m.group(1).trim().split("\\s+");
            if (!List.of(args).contains("--create")) {
                continue;
            }
            String name = null;
            Integer partitions = null;
            Long retention = null;
            for (int i = 0; i + 1 < args.length; i++) {
                switch (args[i]) {
                    case "--topic" -> name = unquote(args[i + 1]);
                    case "--partitions" -> partitions = Integer.valueOf(unquote(args[i + 1]));
                    case "--config" -> {
                        String c = unquote(args[i + 1]);
                        if (c.startsWith("retention.ms=")) {
                            retention = Long.valueOf(c.substring("retention.ms=".length()));
                        }
                    }
                    default -> { }
                }
            }
            assertTrue(name != null && !name.contains("$"),
                    source + ": cannot tell which topic this creates (name it literally): kafka-topics" + m.group(1));
            topics.put(name, new TopicTable.Topic(partitions == null ? -1 : partitions, retention == null ? -1L : retention, null));
        }
        assertFalse(topics.isEmpty(), source + ": no kafka-topics --create found");
        return new TopicTable(source, topics);
    }

    private static String unquote(String s) {
        return s.replaceAll("^['\"]|['\"]$", "");
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
