package io.berth.replicator.api;

import static io.berth.testing.WireErrorAssertions.assertApiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.replicator.support.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The policies API against real PostgreSQL: berth's shape, Harbor's (the seed's example), refusals. */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class PolicyResourceTest {

    static final String BASE = "/api/v1/replication/policies";
    static final String ENDPOINTS = "/api/v1/replication/endpoints";

    @Inject
    DataSource db;

    static RequestSpecification admin() {
        return given().header("Authorization", TestAuth.ADMIN).contentType("application/json");
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static long endpoint(String url, boolean insecure) {
        return admin().body("{\"name\":\"" + unique("ep") + "\",\"type\":\"distribution\",\"url\":\"" + url
                + "\",\"insecure\":" + insecure + "}").when().post(ENDPOINTS).then().statusCode(201).extract().jsonPath()
                .getLong("id");
    }

    static long endpoint() {
        return endpoint("http://127.0.0.1:1", false);
    }

    static String push(String name, long endpoint, String more) {
        return "{\"name\":\"" + name + "\",\"direction\":\"push\",\"endpointId\":" + endpoint + more + "}";
    }

    static long create(String body) {
        return admin().body(body).when().post(BASE).then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void createsShowsListsChangesAndDeletes() throws Exception {
        long ep = endpoint();
        String name = unique("nightly");
        Response created = admin().body(push(name, ep, ",\"description\":\"to dc2\",\"filters\":{\"repositories\":"
                + "[\"team/**\"],\"tags\":{\"include\":[\"v*\"],\"exclude\":[\"*-rc*\"]},\"types\":[\"images\","
                + "\"referrers\"],\"platforms\":[\"linux/amd64\"]},\"destNamespace\":\"mirror\",\"overwrite\":false,"
                + "\"replicateDeletion\":true,\"trigger\":{\"type\":\"scheduled\",\"cron\":\"0  3 * * *\"},"
                + "\"speedKib\":2048")).when().post(BASE);
        created.then().statusCode(201).body("name", equalTo(name)).body("description", equalTo("to dc2"))
                .body("enabled", equalTo(true)).body("direction", equalTo("push"))
                .body("endpoint.id", equalTo((int) ep)).body("endpoint.url", equalTo("http://127.0.0.1:1"))
                .body("filters.repositories", contains("team/**")).body("filters.tags.include", contains("v*"))
                .body("filters.tags.exclude", contains("*-rc*")).body("filters.kinds", hasSize(2))
                .body("filters.platforms", contains("linux/amd64")).body("filters.untagged", equalTo(false))
                .body("destNamespace", equalTo("mirror")).body("flatten", equalTo(1))
                .body("overwrite", equalTo(false)).body("replicateDeletion", equalTo(true))
                .body("trigger.type", equalTo("scheduled")).body("trigger.cron", equalTo("0 3 * * *"))
                .body("speedKib", equalTo(2048)).body("createdBy", equalTo("admin")).body("updatedBy", equalTo("admin"));
        long id = created.jsonPath().getLong("id");
        assertEquals(BASE + "/" + id, created.header("Location"));

        admin().when().get(BASE + "/" + id).then().statusCode(200).body("name", equalTo(name))
                .body("endpoint.name", equalTo(admin().when().get(ENDPOINTS + "/" + ep).jsonPath().getString("name")));
        assertTrue(admin().when().get(BASE).then().statusCode(200).extract().jsonPath().getList("name").contains(name));
        admin().queryParam("name", name).when().get(BASE).then().statusCode(200).body("id", contains((int) id));
        admin().queryParam("name", unique("none")).when().get(BASE).then().statusCode(200).body("$", hasSize(0));

        // Fields left out keep their value; a trigger changed to manual drops the cron.
        admin().body("{\"description\":null,\"trigger\":{\"type\":\"manual\"},\"enabled\":false}").when()
                .put(BASE + "/" + id).then().statusCode(200).body("description", nullValue())
                .body("enabled", equalTo(false)).body("trigger.type", equalTo("manual")).body("trigger.cron", nullValue())
                .body("destNamespace", equalTo("mirror")).body("flatten", equalTo(1)).body("speedKib", equalTo(2048))
                .body("filters.repositories", contains("team/**")).body("overwrite", equalTo(false));
        // An answer sent back changed is a valid update (its read-only fields are ignored).
        String answer = admin().when().get(BASE + "/" + id).asString().replace("\"flatten\":1", "\"flatten\":-1");
        admin().body(answer).when().put(BASE + "/" + id).then().statusCode(200).body("flatten", equalTo(-1))
                .body("name", equalTo(name));
        // Removing the namespace without a flatten puts the path back whole.
        admin().body("{\"destNamespace\":null}").when().put(BASE + "/" + id).then().statusCode(200)
                .body("destNamespace", nullValue()).body("flatten", equalTo(0));

        // Deleting a policy deletes its executions.
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO replication_executions (policy_id, trigger, status) VALUES (?, 'manual', 'succeeded')")) {
            s.setLong(1, id);
            s.executeUpdate();
        }
        admin().when().delete(BASE + "/" + id).then().statusCode(204);
        assertEquals(0, count("SELECT count(*) FROM replication_executions WHERE policy_id = ?", id));
        assertApiError(admin().when().get(BASE + "/" + id), 404, "NOT_FOUND");
        assertApiError(admin().when().delete(BASE + "/" + id), 404, "NOT_FOUND");
        assertApiError(admin().body("{}").when().put(BASE + "/" + id), 404, "NOT_FOUND");
        assertApiError(admin().when().get(BASE + "/x1"), 404, "NOT_FOUND");
    }

    @Test
    void defaults() {
        long ep = endpoint();
        admin().body(push(unique("plain"), ep, "")).when().post(BASE).then().statusCode(201)
                .body("enabled", equalTo(true)).body("filters.kinds", contains("all"))
                .body("filters.repositories", hasSize(0)).body("destNamespace", nullValue()).body("flatten", equalTo(0))
                .body("overwrite", equalTo(true)).body("replicateDeletion", equalTo(false))
                .body("trigger.type", equalTo("manual")).body("trigger.cron", nullValue()).body("speedKib", equalTo(0));
        admin().body("{\"name\":\"" + unique("pull") + "\",\"direction\":\"pull\",\"endpoint\":{\"id\":" + ep
                + "},\"destNamespace\":\"dc2/mirror\",\"flatten\":0}").when().post(BASE).then().statusCode(201)
                .body("direction", equalTo("pull")).body("destNamespace", equalTo("dc2/mirror")).body("flatten", equalTo(0));
    }

    @Test
    void badBodiesAre400NamingTheField() {
        long ep = endpoint();
        String n = "\"name\":\"ok\",";
        String d = "\"direction\":\"push\",\"endpointId\":" + ep;
        List<String[]> cases = List.of(
                new String[] {"not json", "not JSON"},
                new String[] {"[1]", "JSON object"},
                new String[] {"{" + d + "}", "name must be"},
                new String[] {"{\"name\":\"Bad Name\"," + d + "}", "name must be"},
                new String[] {"{" + n + "\"direction\":\"sideways\",\"endpointId\":" + ep + "}", "direction must be push"},
                new String[] {"{" + n + "\"endpointId\":" + ep + "}", "direction must be push"},
                new String[] {"{" + n + "\"direction\":\"push\"}", "endpointId is required"},
                new String[] {"{" + n + "\"direction\":\"push\",\"endpointId\":999999999}", "endpointId 999999999 is no"},
                new String[] {"{" + n + "\"direction\":\"push\",\"endpointId\":\"1\"}", "endpointId must be"},
                new String[] {"{" + n + "\"direction\":\"push\",\"endpoint\":{\"id\":999999999}}", "endpoint.id 999999999"},
                new String[] {"{" + n + d + ",\"endpoint\":{\"id\":999999999}}", "different endpoints"},
                new String[] {"{" + n + d + ",\"colour\":1}", "unknown field colour"},
                new String[] {"{" + n + d + ",\"filters\":{\"repositories\":[\"a/{b\"]}}", "filters.repositories[0]"},
                new String[] {"{" + n + d + ",\"filters\":{\"kinds\":[\"vm\"]}}", "filters.kinds holds vm"},
                new String[] {"{" + n + d + ",\"filters\":{\"platforms\":[\"amd64\"]}}", "filters.platforms[0]"},
                new String[] {"{" + n + d + ",\"destNamespace\":\"Library\"}", "destNamespace must be a repository path"},
                new String[] {"{" + n + d + ",\"destNamespace\":\"a//b\"}", "destNamespace must be"},
                new String[] {"{" + n + d + ",\"flatten\":-2}", "flatten must be -1"},
                new String[] {"{" + n + d + ",\"flatten\":1.5}", "flatten must be a whole number"},
                new String[] {"{" + n + d + ",\"overwrite\":\"no\"}", "overwrite must be true or false"},
                new String[] {"{" + n + d + ",\"trigger\":\"manual\"}", "trigger must be an object"},
                new String[] {"{" + n + d + ",\"trigger\":{\"type\":\"hourly\"}}", "trigger.type must be manual"},
                new String[] {"{" + n + d + ",\"trigger\":{\"type\":\"scheduled\"}}", "trigger.cron is required"},
                new String[] {"{" + n + d + ",\"trigger\":{\"type\":\"scheduled\",\"cron\":\"every day\"}}",
                    "trigger.cron: "},
                new String[] {"{" + n + d + ",\"trigger\":{\"type\":\"scheduled\",\"cron\":\"61 * * * *\"}}",
                    "not a valid cron expression"},
                new String[] {"{" + n + d + ",\"trigger\":{\"type\":\"manual\",\"cron\":\"0 3 * * *\"}}",
                    "trigger.cron is only for a scheduled"},
                new String[] {"{" + n + "\"direction\":\"pull\",\"endpointId\":" + ep
                    + ",\"trigger\":{\"type\":\"event_based\"}}",
                    "pull policies run manually or on a schedule; remote registries send berth no events"},
                new String[] {"{" + n + d + ",\"speedKib\":-1}", "speedKib must be 0"},
                new String[] {"{" + n + d + ",\"description\":\"" + "x".repeat(1001) + "\"}", "description is longer"});
        assertRefused(cases);
        // The same rules on an update, against the policy as it would become.
        long id = create(push(unique("upd"), ep, ""));
        assertApiError(admin().body("{\"trigger\":{\"type\":\"scheduled\"}}").when().put(BASE + "/" + id), 400, "BAD_REQUEST");
        long pull = create("{\"name\":\"" + unique("pull") + "\",\"direction\":\"pull\",\"endpointId\":" + ep + "}");
        Response r = admin().body("{\"trigger\":{\"type\":\"event_based\"}}").when().put(BASE + "/" + pull);
        assertApiError(r, 400, "BAD_REQUEST");
        assertTrue(r.asString().contains("remote registries send berth no events"), r.asString());
        admin().body("{\"direction\":\"push\",\"trigger\":{\"type\":\"event_based\"}}").when().put(BASE + "/" + pull)
                .then().statusCode(200).body("trigger.type", equalTo("event_based"));
    }

    @Test
    void aTakenNameIsAConflict() {
        long ep = endpoint();
        String name = unique("taken");
        create(push(name, ep, ""));
        assertApiError(admin().body(push(name, ep, "")).when().post(BASE), 409, "CONFLICT");
        long other = create(push(unique("other"), ep, ""));
        assertApiError(admin().body("{\"name\":\"" + name + "\"}").when().put(BASE + "/" + other), 409, "CONFLICT");
    }

    @Test
    void onlyAdministrators() {
        long id = create(push(unique("guarded"), endpoint(), ""));
        for (String path : List.of(BASE, BASE + "/" + id)) {
            Response anonymous = given().when().get(path);
            assertApiError(anonymous, 401, "UNAUTHORIZED");
            assertEquals("Basic realm=\"berth\"", anonymous.header("WWW-Authenticate"));
            assertApiError(given().header("Authorization", TestAuth.DEVELOPER).when().get(path), 403, "FORBIDDEN");
        }
        String body = push(unique("sneaky"), 1, "");
        assertApiError(given().contentType("application/json").body(body).when().post(BASE), 401, "UNAUTHORIZED");
        assertApiError(given().header("Authorization", TestAuth.DEVELOPER).contentType("application/json").body(body)
                .when().post(BASE), 403, "FORBIDDEN");
        assertApiError(given().header("Authorization", TestAuth.DEVELOPER).contentType("application/json")
                .body("{\"enabled\":false}").when().put(BASE + "/" + id), 403, "FORBIDDEN");
        assertApiError(given().header("Authorization", TestAuth.DEVELOPER).when().delete(BASE + "/" + id), 403, "FORBIDDEN");
        assertApiError(given().header("Authorization", TestAuth.basic("admin", "wrong")).when().delete(BASE + "/" + id),
                401, "UNAUTHORIZED");
        admin().when().get(BASE + "/" + id).then().statusCode(200).body("enabled", equalTo(true));
    }

    @Test
    void anEndpointInUseCannotBeDeleted() {
        long ep = endpoint();
        String a = unique("uses-a");
        String b = unique("uses-b");
        long pa = create(push(a, ep, ""));
        long pb = create(push(b, ep, ""));
        Response refused = admin().when().delete(ENDPOINTS + "/" + ep);
        assertApiError(refused, 409, "CONFLICT");
        String message = refused.jsonPath().getString("errors[0].message");
        assertTrue(message.contains(a) && message.contains(b), message);
        admin().when().get(ENDPOINTS + "/" + ep).then().statusCode(200);
        admin().when().delete(BASE + "/" + pa).then().statusCode(204);
        admin().when().delete(BASE + "/" + pb).then().statusCode(204);
        admin().when().delete(ENDPOINTS + "/" + ep).then().statusCode(204);
    }

    /** Each body {@code {body, message part}} POSTed is 400 with a message holding the part. */
    static void assertRefused(List<String[]> cases) {
        for (String[] c : cases) {
            Response r = admin().body(c[0]).when().post(BASE);
            assertApiError(r, 400, "BAD_REQUEST");
            String message = r.jsonPath().getString("errors[0].message");
            assertTrue(message.contains(c[1]), c[0] + " -> " + r.asString());
        }
    }

    long count(String sql, long id) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
