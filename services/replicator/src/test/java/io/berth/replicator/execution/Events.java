package io.berth.replicator.execution;

import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** berth.artifacts events as registry-api writes them (docs/events.md), sent to the tests' topic. */
final class Events {

    static final String TOPIC = "berth.artifacts.replicator-test";

    private Events() {}

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** The CloudEvent JSON; {@code tag} null for an event without one. */
    static String event(String id, String type, String repository, String digest, String tag, Instant time) {
        String project = repository.split("/", 2)[0];
        return """
                {"specversion":"1.0","id":"%s","source":"/berth/registry-api","type":"%s","subject":"%s",
                 "time":"%s","datacontenttype":"application/json",
                 "data":{"project":"%s","repository":"%s","digest":"%s",%s
                  "mediaType":"application/vnd.oci.image.manifest.v1+json",
                  "artifactType":"application/vnd.oci.image.config.v1+json","size":500,"actor":"alice"}}"""
                .formatted(id, type, repository, time, project, repository, digest,
                        tag == null ? "" : "\"tag\":\"" + tag + "\",");
    }

    static void send(String repository, String... events) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", "127.0.0.1:9092");
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        try (var producer = new KafkaProducer<String, String>(props)) {
            for (String e : events) {
                producer.send(new ProducerRecord<>(TOPIC, repository, e)).get(10, TimeUnit.SECONDS);
            }
        }
    }
}
