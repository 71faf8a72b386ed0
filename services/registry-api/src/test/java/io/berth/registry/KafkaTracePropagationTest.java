package io.berth.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The trace context of a request travels with the Kafka records it produces: the record
 * carries a W3C {@code traceparent} header, and the consumer continues the same trace.
 * Runs against the real local Kafka broker.
 */
@QuarkusTest
@TestProfile(KafkaTracePropagationTest.ProbeTopic.class)
class KafkaTracePropagationTest {

    public static class ProbeTopic implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String topic = "berth.test.trace-probe";
            return Map.of(
                    "mp.messaging.outgoing.trace-probe-out.topic", topic,
                    "mp.messaging.incoming.trace-probe-in.topic", topic,
                    "mp.messaging.incoming.trace-probe-in.auto.offset.reset", "earliest",
                    "mp.messaging.incoming.trace-probe-in.group.id", "trace-probe-" + UUID.randomUUID());
        }
    }

    @Inject
    TraceProbe probe;

    @Inject
    Tracer tracer;

    @Test
    void traceContextCrossesKafka() throws Exception {
        String payload = "probe-" + UUID.randomUUID();
        Span span = tracer.spanBuilder("trace-probe-send").startSpan();
        String traceId = span.getSpanContext().getTraceId();
        try (var scope = span.makeCurrent()) {
            probe.send(payload).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            span.end();
        }

        TraceProbe.Received received = probe.receivedFor(payload).get(60, TimeUnit.SECONDS);
        assertNotNull(received.traceparentHeader(), "the Kafka record has no traceparent header");
        assertTrue(received.traceparentHeader().contains(traceId),
                "traceparent " + received.traceparentHeader() + " is not in trace " + traceId);
        assertEquals(traceId, received.consumerTraceId(), "the consumer did not continue the trace");
    }
}
