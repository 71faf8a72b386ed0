package io.berth.events.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The relay's way to Kafka: an idempotent producer ({@code acks=all}), so retries neither
 * duplicate nor reorder events within a partition. Events go in CloudEvents' structured mode:
 * the value is the JSON envelope, with {@code content-type: application/cloudevents+json} and
 * {@code ce_id} headers.
 */
public final class KafkaSink implements OutboxRelay.Sink {

    private final KafkaProducer<String, String> producer;

    /**
     * @param bootstrapServers Kafka's {@code bootstrap.servers}
     * @param deliveryTimeout how long the producer keeps retrying one event before it gives up
     *     (the relay then sends it again in a later round)
     * @param extra further producer settings (security, client id), which win over these
     */
    public KafkaSink(String bootstrapServers, Duration deliveryTimeout, Map<String, Object> extra) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout.toMillis());
        // Kafka wants delivery.timeout.ms >= linger.ms + request.timeout.ms.
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(deliveryTimeout.toMillis() / 2, 10_000));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.min(deliveryTimeout.toMillis(), 10_000));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.putAll(extra);
        this.producer = new KafkaProducer<>(p);
    }

    @Override
    public CompletableFuture<Void> send(String topic, String key, String eventId, String value) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        record.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_id", eventId.getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            // Metadata not available within max.block.ms (Kafka down): this round fails.
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
