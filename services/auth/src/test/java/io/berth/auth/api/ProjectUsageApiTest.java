package io.berth.auth.api;

import static io.berth.auth.api.Fixtures.ADMIN_PASSWORD;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/projects/{p}} shows what the project stores as {@code usedBytes}, the count
 * registry-api keeps in {@code project_usage} (docs/adr/0021), next to its quota.
 */
@QuarkusTest
class ProjectUsageApiTest {

    @Test
    void aProjectShowsItsUsageNextToItsQuota() throws SQLException {
        String p = "usage-" + System.nanoTime();
        var admin = given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON);
        admin.body(Map.of("name", p, "quotaBytes", 1_000_000)).when().post("/api/v1/projects")
                .then().statusCode(201).body("usedBytes", equalTo(0)).body("quotaBytes", equalTo(1_000_000));

        Fixtures.sql("INSERT INTO project_usage (project_id, stored_bytes) SELECT id, 123456 FROM projects"
                + " WHERE name = '" + p + "'");
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).when().get("/api/v1/projects/" + p)
                .then().statusCode(200).body("usedBytes", equalTo(123456)).body("quotaBytes", equalTo(1_000_000));
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).when().get("/api/v1/projects")
                .then().statusCode(200).body("find { it.name == '" + p + "' }.usedBytes", equalTo(123456));
    }
}
