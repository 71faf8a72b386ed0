package io.berth.auth.api;

import static io.berth.auth.api.Fixtures.ADMIN_PASSWORD;
import static io.berth.auth.api.Fixtures.project;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** System robots under /api/v1/robots: made by system administrators, with rights in several projects. */
@QuarkusTest
class SystemRobotApiTest {


    @Test
    void aSystemRobotSpansProjectsAndOnlyAdministratorsManageIt() {
        String a = project(false);
        String b = project(false);
        String name = "sys-" + System.nanoTime();
        var body = Map.of("name", name, "permissions", Map.of(a, List.of("pull"), b, List.of("pull", "push")));

        given().auth().preemptive().basic("developer", "berth-dev").contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/robots").then().statusCode(403).body("errors[0].code", equalTo("FORBIDDEN"));
        String secret = admin().body(body).when().post("/api/v1/robots").then().statusCode(201)
                .body("name", equalTo("robot$" + name)).extract().path("secret");
        admin().body(body).when().post("/api/v1/robots").then().statusCode(409);

        given().auth().preemptive().basic("robot$" + name, secret)
                .queryParam("scope", "repository:" + a + "/x:pull,push").queryParam("scope", "repository:" + b + "/y:push")
                .when().get("/service/token").then().statusCode(200);
        admin().when().get("/api/v1/robots").then().statusCode(200).body("name", hasItem("robot$" + name));

        admin().body(Map.of("disabled", true)).when().put("/api/v1/robots/" + name).then().statusCode(204);
        given().auth().preemptive().basic("robot$" + name, secret).when().get("/service/token").then().statusCode(401);
        admin().body(Map.of("disabled", false)).when().put("/api/v1/robots/" + name).then().statusCode(204);
        String renewed = admin().when().post("/api/v1/robots/" + name + "/secret").then().statusCode(200)
                .extract().path("secret");
        given().auth().preemptive().basic("robot$" + name, renewed).when().get("/service/token").then().statusCode(200);

        admin().when().delete("/api/v1/robots/" + name).then().statusCode(204);
        admin().when().delete("/api/v1/robots/" + name).then().statusCode(404);
        given().auth().preemptive().basic("robot$" + name, renewed).when().get("/service/token").then().statusCode(401);
        admin().body(Map.of("name", "x-" + System.nanoTime(), "permissions", Map.of("no-such-project", List.of("pull"))))
                .when().post("/api/v1/robots").then().statusCode(400);
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON);
    }
}
