package io.berth.auth.api;

import static io.berth.auth.api.Fixtures.ADMIN_PASSWORD;
import static io.berth.auth.api.Fixtures.events;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/system/settings} (docs/adr/0022): read-only mode is switched by system
 * administrators only, audited, and shown to anyone signed in.
 */
@QuarkusTest
class SystemSettingsApiTest {

    private static RequestSpecification developer() {
        return given().auth().preemptive().basic("developer", "berth-dev").contentType(ContentType.JSON);
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON);
    }

    @AfterEach
    void writable() throws SQLException {
        Fixtures.sql("UPDATE system_settings SET read_only = false");
    }

    @Test
    void onlyASystemAdministratorSwitchesReadOnlyModeAndEveryoneSignedInSeesIt() throws SQLException {
        developer().body(Map.of("readOnly", true)).when().put("/api/v1/system/settings")
                .then().statusCode(403).body("errors[0].code", equalTo("FORBIDDEN"));
        developer().when().get("/api/v1/system/settings").then().statusCode(200).body("readOnly", equalTo(false));
        given().when().get("/api/v1/system/settings").then().statusCode(401);

        long before = events("io.berth.system_settings.updated.v1", "system", "\"readOnly\": true");
        admin().body(Map.of("readOnly", true)).when().put("/api/v1/system/settings")
                .then().statusCode(200).body("readOnly", equalTo(true)).body("updatedBy", equalTo("admin"));
        developer().when().get("/api/v1/system/settings").then().statusCode(200).body("readOnly", equalTo(true));
        assertEquals(before + 1, events("io.berth.system_settings.updated.v1", "system", "\"readOnly\": true"));

        admin().body(Map.of("readOnly", false)).when().put("/api/v1/system/settings")
                .then().statusCode(200).body("readOnly", equalTo(false));
        developer().when().get("/api/v1/system/settings").then().body("readOnly", equalTo(false));
    }

    @Test
    void aBodyWithoutReadOnlyIsABadRequest() {
        admin().body(Map.of("readonly", true)).when().put("/api/v1/system/settings")
                .then().statusCode(400).body("errors[0].code", equalTo("BAD_REQUEST"));
        admin().body("{\"readOnly\": \"maybe\"}").when().put("/api/v1/system/settings")
                .then().statusCode(400);
    }
}
