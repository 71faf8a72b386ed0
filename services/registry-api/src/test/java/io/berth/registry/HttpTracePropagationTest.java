package io.berth.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** A request that arrives with a W3C traceparent is handled inside the caller's trace. */
@QuarkusTest
class HttpTracePropagationTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void incomingTraceparentIsContinued() {
        given().header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                .when().get("/test/trace-echo")
                .then().statusCode(200).body(equalTo(TRACE_ID));
    }

    @Test
    void withoutTraceparentANewTraceStarts() {
        given().when().get("/test/trace-echo")
                .then().statusCode(200).body(not(equalTo(TRACE_ID)))
                .body(not(equalTo("00000000000000000000000000000000")));
    }
}
