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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka topics are named once, in docs/events.md's table "Partitions, retention and
 * consumer groups"; everything else that names them must agree with it: libs/events' Topics
 * (plus the dead-letter topic), the services' incoming channels and consumer groups, the
 * Strimzi KafkaTopics of k8s/overlays/ha, and the topics that docker-compose.yml and
 * k8s/overlays/dev create: both run the one script k8s/components/kafka-topics/kafka-topics.sh,
 * whose {@code topic <name> <partitions> <retention.ms>} lines name them.
 */
class TopicsAgreeTest {

    static final String DEAD_LETTER = "berth.dead-letter";

    /** The topic script of compose and the dev overlay. */
    static final String SCRIPT = "k8s/components/kafka-topics/kafka-topics.sh";

    /** One call of the script's function: {@code topic <name> <partitions> <retention.ms>}. */
    private static final Pattern TOPIC_LINE = Pattern.compile("(?m)^topic\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\b");

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
    void theTopicScriptCreatesTheTopics() {
        assertAgree(created(SCRIPT, Repo.read(SCRIPT)));
    }

    @Test
    void composeRunsTheTopicScript() {
        JsonNode init = ComposeConfigTest.compose().at("/services/kafka-init");
        assertEquals("[\"/bin/bash\",\"/init/kafka-topics.sh\"]", init.path("entrypoint").toString());
        assertTrue(init.path("volumes").toString().contains("./" + SCRIPT + ":/init/kafka-topics.sh"),
                "kafka-init does not mount " + SCRIPT + ": " + init.path("volumes"));
    }

    @Test
    void devRunsTheTopicScript() {
        List<ObjectNode> objects = Manifests.render("k8s/overlays/dev");
        ObjectNode job = Manifests.get(objects, "Job", "kafka-topics");
        JsonNode pod = job.at("/spec/template/spec");
        assertEquals("[\"/bin/bash\",\"/init/kafka-topics.sh\"]", pod.at("/containers/0/command").toString());
        String configMap = pod.at("/volumes/0/configMap/name").asText();
        assertEquals(Repo.read(SCRIPT), Manifests.get(objects, "ConfigMap", configMap).at("/data/kafka-topics.sh").asText(),
                "the Job's ConfigMap " + configMap + " is not " + SCRIPT);
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
        // and the script's parser sees a change of partitions or retention
        TopicTable script = created("y", """
                topic berth.audit 6 604800000    # 7 days
                topic berth.scans 5 604800000
                """);
        assertEquals(5, script.topics().get("berth.scans").partitions());
        assertTrue(docs.disagreements(script).contains("berth.scans: partitions 6 in docs/events.md, 5 in y"));
        assertEquals(List.of("berth.audit: retention.ms 2592000000 in docs/events.md, 604800000 in y"),
                docs.disagreements(script).stream().filter(p -> p.startsWith("berth.audit")).toList());
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

    /** The topics a script's {@code topic <name> <partitions> <retention.ms>} lines create. */
    static TopicTable created(String source, String text) {
        Map<String, TopicTable.Topic> topics = new TreeMap<>();
        Matcher m = TOPIC_LINE.matcher(text);
        while (m.find()) {
            topics.put(m.group(1), new TopicTable.Topic(Integer.valueOf(m.group(2)), Long.valueOf(m.group(3)), null));
        }
        assertFalse(topics.isEmpty(), source + ": no `topic <name> <partitions> <retention.ms>` line");
        return new TopicTable(source, topics);
    }
}
