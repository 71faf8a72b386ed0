package io.berth.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kafka topics as one side of the comparison sees them: name, partitions, retention (ms) and
 * consumers ("service:group"); a side that does not say one of them leaves it null.
 */
record TopicTable(String source, Map<String, Topic> topics) {

    record Topic(Integer partitions, Long retentionMs, Set<String> consumers) {}

    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|\\s*(\\d+)\\s*\\|\\s*([^|]+?)\\s*\\|\\s*([^|]*?)\\s*\\|\\s*$");
    private static final Pattern CONSUMER = Pattern.compile("([a-z-]+) \\(`([^`]+)`\\)");
    private static final Pattern DURATION = Pattern.compile("(\\d+) (day|hour)s?");

    /** The table "Partitions, retention and consumer groups" of docs/events.md. */
    static TopicTable ofEventsDoc(String markdown) {
        int start = markdown.indexOf("### Partitions, retention and consumer groups");
        if (start < 0) {
            fail("docs/events.md has no section \"Partitions, retention and consumer groups\"");
        }
        Map<String, Topic> topics = new TreeMap<>();
        boolean inTable = false;
        for (String line : markdown.substring(start).split("\n")) {
            if (line.startsWith("|")) {
                inTable = true;
                Matcher m = ROW.matcher(line);
                if (m.matches()) {
                    Matcher d = DURATION.matcher(m.group(3));
                    if (!d.matches()) {
                        fail("docs/events.md: retention \"" + m.group(3) + "\" is not N days or N hours");
                    }
                    long ms = Long.parseLong(d.group(1)) * (d.group(2).equals("day") ? 86_400_000L : 3_600_000L);
                    Set<String> consumers = new TreeSet<>();
                    Matcher c = CONSUMER.matcher(m.group(4));
                    while (c.find()) {
                        consumers.add(c.group(1) + ":" + c.group(2));
                    }
                    topics.put(m.group(1), new Topic(Integer.parseInt(m.group(2)), ms, consumers));
                }
            } else if (inTable) {
                break;
            }
        }
        if (topics.isEmpty()) {
            fail("docs/events.md: the topics table has no rows");
        }
        return new TopicTable("docs/events.md", topics);
    }

    /**
     * How {@code other} disagrees with this table (the reference), each message naming both
     * sides. Only what {@code other} states is compared (null means "does not say").
     */
    List<String> disagreements(TopicTable other) {
        List<String> problems = new ArrayList<>();
        Set<String> all = new TreeSet<>(topics.keySet());
        all.addAll(other.topics.keySet());
        for (String name : all) {
            Topic want = topics.get(name);
            Topic got = other.topics.get(name);
            if (want == null) {
                problems.add(other.source + " has topic " + name + ", " + source + " does not");
                continue;
            }
            if (got == null) {
                problems.add(source + " has topic " + name + ", " + other.source + " does not");
                continue;
            }
            compare(problems, name, "partitions", want.partitions, got.partitions, other.source);
            compare(problems, name, "retention.ms", want.retentionMs, got.retentionMs, other.source);
            if (got.consumers != null && !Objects.equals(want.consumers, got.consumers)) {
                problems.add(name + ": consumers (service:group) " + want.consumers + " in " + source + ", "
                        + got.consumers + " in " + other.source);
            }
        }
        return problems;
    }

    private void compare(List<String> problems, String name, String what, Object want, Object got, String where) {
        if (got != null && !Objects.equals(want, got)) {
            problems.add(name + ": " + what + " " + want + " in " + source + ", " + got + " in " + where);
        }
    }
}
