package io.berth.registry;

import io.opentelemetry.api.trace.Span;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Test-only Kafka round trip: sends a payload and records, for each payload received, the
 * {@code traceparent} header on the record and the trace the consumer ran in.
 */
@ApplicationScoped
public class TraceProbe {

    public record Received(String traceparentHeader, String consumerTraceId) {}

    private final Map<String, CompletableFuture<Received>> received = new ConcurrentHashMap<>();

    @Channel("trace-probe-out")
    Emitter<String> out;

    public CompletionStage<Void> send(String payload) {
        return out.send(payload);
    }

    public CompletableFuture<Received> receivedFor(String payload) {
        return received.computeIfAbsent(payload, p -> new CompletableFuture<>());
    }

    @Incoming("trace-probe-in")
    CompletionStage<Void> consume(Message<String> message) {
        String header = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getHeaders().lastHeader("traceparent"))
                .map(h -> new String(h.value(), StandardCharsets.US_ASCII))
                .orElse(null);
        receivedFor(message.getPayload())
                .complete(new Received(header, Span.current().getSpanContext().getTraceId()));
        return message.ack();
    }
}
