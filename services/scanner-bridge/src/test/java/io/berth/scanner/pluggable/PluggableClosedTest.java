package io.berth.scanner.pluggable;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.berth.scanner.support.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With no API key configured (the default), the built-in scanner's Pluggable Scanner API refuses everyone. */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
@TestProfile(PluggableClosedTest.NoKey.class)
class PluggableClosedTest {

    public static class NoKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.scanner.pluggable.api-key", "");
        }
    }

    @Test
    void everyRequestIs401SayingTheApiIsOff() {
        for (String key : new String[] {"", BuiltinScannerRoundTripTest.KEY}) {
            given().header("Authorization", "Bearer " + key).get("/scanner/api/v1/metadata").then().statusCode(401)
                    .body("error.message", containsString("no berth.scanner.pluggable.api-key is configured"));
        }
        given().post("/scanner/api/v1/scan").then().statusCode(401);
        given().get("/scanner/api/v1/scan/x/report").then().statusCode(401);
    }
}
