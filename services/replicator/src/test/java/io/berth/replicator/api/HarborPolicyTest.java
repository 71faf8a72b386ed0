package io.berth.replicator.api;

import static io.berth.replicator.api.PolicyResourceTest.BASE;
import static io.berth.replicator.api.PolicyResourceTest.ENDPOINTS;
import static io.berth.replicator.api.PolicyResourceTest.admin;
import static io.berth.replicator.api.PolicyResourceTest.endpoint;
import static io.berth.replicator.api.PolicyResourceTest.unique;
import static io.berth.testing.WireErrorAssertions.assertApiError;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.replicator.policy.Policy;
import io.berth.replicator.policy.PolicyRepository;
import io.berth.replicator.support.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Policies in Harbor's shape: the seed's example POSTed as written (the test profile lists
 * https://registry-dc1.example.com among this berth's URLs), Harbor 2's fields, and the refusals.
 */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class HarborPolicyTest {

    static final String DC2 = "https://registry-dc2.example.com";

    @Inject
    DataSource db;

    @Inject
    PolicyRepository repository;

    /** Leaves no policy named dc2-sync and no endpoint at dc2's URL from an earlier run. */
    private void forgetDc2() throws Exception {
        try (Connection c = db.getConnection();
                PreparedStatement policies = c.prepareStatement("DELETE FROM replication_policies WHERE name = 'dc2-sync'"
                        + " OR endpoint_id IN (SELECT id FROM replication_endpoints WHERE url = ?)");
                PreparedStatement endpoints = c.prepareStatement("DELETE FROM replication_endpoints WHERE url = ?")) {
            policies.setString(1, DC2);
            policies.executeUpdate();
            endpoints.setString(1, DC2);
            endpoints.executeUpdate();
        }
    }

    private static String seed() throws Exception {
        try (InputStream in = HarborPolicyTest.class.getResourceAsStream("/policies/seed-dc2-sync.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theSeedsExampleAsWrittenMakesAWorkingPolicy() throws Exception {
        forgetDc2();
        String seed = seed();
        // Before dc2 is registered: the URL is neither this berth nor an endpoint.
        Response unknown = admin().body(seed).when().post(BASE);
        assertApiError(unknown, 400, "BAD_REQUEST");
        String message = unknown.jsonPath().getString("errors[0].message");
        assertTrue(message.contains("dest_registry.url") && message.contains("register the endpoint first"), message);

        long dc2 = endpoint(DC2 + "/", false);
        Response created = admin().body(seed).when().post(BASE);
        created.then().statusCode(201).body("name", equalTo("dc2-sync")).body("enabled", equalTo(true))
                .body("direction", equalTo("push")).body("endpoint.id", equalTo((int) dc2))
                .body("endpoint.url", equalTo(DC2)).body("filters.repositories", contains("myapp/**"))
                .body("filters.kinds", contains("images")).body("destNamespace", equalTo("library"))
                .body("flatten", equalTo(1)).body("trigger.type", equalTo("manual")).body("trigger.cron", nullValue())
                .body("overwrite", equalTo(true)).body("replicateDeletion", equalTo(false))
                .body("createdBy", equalTo("admin"));
        long id = created.jsonPath().getLong("id");

        // Working: what the engine reads is a push of myapp's images into library/.
        Policy p = repository.find(id).orElseThrow();
        assertEquals(Policy.Direction.PUSH, p.direction());
        assertTrue(p.filters().matchesRepository("myapp/web"));
        assertTrue(!p.filters().matchesRepository("other/web"));
        assertEquals("library/web", p.destinationRepository("myapp/web"));
        assertEquals(List.of(p), repository.enabled(Policy.TriggerType.MANUAL).stream().filter(x -> x.id() == id).toList());

        // The same again: the name is taken.
        assertApiError(admin().body(seed).when().post(BASE), 409, "CONFLICT");
        // The other way round is a pull from dc2.
        String reversed = seed.replace("\"dc2-sync\"", "\"dc2-pull\"").replace("registry-dc1", "registry-tmp")
                .replace("registry-dc2", "registry-dc1").replace("registry-tmp", "registry-dc2");
        admin().body(reversed).when().post(BASE).then().statusCode(201).body("direction", equalTo("pull"))
                .body("endpoint.id", equalTo((int) dc2));
        // insecure must agree with the endpoint's.
        Response insecure = admin().body(seed.replace("\"dc2-sync\"", "\"dc2-x\"")
                .replace("\"url\": \"https://registry-dc2.example.com\",\n\"insecure\": false",
                        "\"url\": \"https://registry-dc2.example.com\",\n\"insecure\": true")).when().post(BASE);
        assertApiError(insecure, 400, "BAD_REQUEST");
        assertTrue(insecure.asString().contains("dest_registry.insecure is true"), insecure.asString());
        // A scheduled trigger takes the seed's "schedule".
        admin().body(seed.replace("\"dc2-sync\"", "\"dc2-nightly\"").replace("\"type\": \"manual\"", "\"type\": \"scheduled\"")
                .replace("\"schedule\": null", "\"schedule\": \"0 0 2 * * *\"")).when().post(BASE).then().statusCode(201)
                .body("trigger.type", equalTo("scheduled")).body("trigger.cron", equalTo("0 0 2 * * *"));
        forgetDc2();
    }

    @Test
    void harbor2Fields() {
        long ep = endpoint();
        String name = unique("h2");
        admin().body("{\"name\":\"" + name + "\",\"dest_registry\":{\"id\":" + ep + ",\"name\":\"whatever\"},"
                + "\"filters\":[{\"type\":\"name\",\"value\":\"team/**\"},{\"type\":\"tag\",\"value\":\"v*\","
                + "\"decoration\":\"matches\"},{\"type\":\"tag\",\"value\":\"*-rc*\",\"decoration\":\"excludes\"},"
                + "{\"type\":\"resource\",\"value\":\"image\"}],\"dest_namespace\":\"mirror\","
                + "\"dest_namespace_replace_count\":-1,\"override\":false,\"deletion\":true,\"speed\":512,"
                + "\"trigger\":{\"type\":\"event_based\",\"trigger_settings\":{\"cron\":\"\"}},\"enabled\":false,"
                + "\"copy_by_chunk\":true}").when().post(BASE).then().statusCode(201)
                .body("direction", equalTo("push")).body("endpoint.id", equalTo((int) ep))
                .body("filters.repositories", contains("team/**")).body("filters.tags.include", contains("v*"))
                .body("filters.tags.exclude", contains("*-rc*")).body("filters.kinds", contains("images"))
                .body("destNamespace", equalTo("mirror")).body("flatten", equalTo(-1)).body("overwrite", equalTo(false))
                .body("replicateDeletion", equalTo(true)).body("speedKib", equalTo(512)).body("enabled", equalTo(false))
                .body("trigger.type", equalTo("event_based"));
        // src_registry by id, dest absent: a pull; Harbor 2's cron; speed -1 is unlimited; id 0 is local.
        admin().body("{\"name\":\"" + unique("h2pull") + "\",\"src_registry\":{\"id\":" + ep + "},\"dest_registry\":"
                + "{\"id\":0},\"trigger\":{\"type\":\"scheduled\",\"trigger_settings\":{\"cron\":\"0 0 * * * *\"}},"
                + "\"speed\":-1,\"filters\":[{\"type\":\"resource\",\"value\":\"chart\"},{\"type\":\"resource\","
                + "\"value\":\"signature\"}]}").when().post(BASE).then().statusCode(201)
                .body("direction", equalTo("pull")).body("trigger.cron", equalTo("0 0 * * * *"))
                .body("speedKib", equalTo(0)).body("flatten", equalTo(0))
                .body("filters.kinds", containsInAnyOrder("charts", "referrers"));
        // PUT in Harbor's shape replaces the whole policy.
        long id = admin().queryParam("name", name).when().get(BASE).jsonPath().getLong("[0].id");
        admin().body("{\"name\":\"" + name + "\",\"dest_registry\":{\"id\":" + ep + "},\"projects\":[{\"name\":\"web\","
                + "\"resources\":[\"artifact\"]}]}").when().put(BASE + "/" + id).then().statusCode(200)
                .body("filters.repositories", contains("web/**")).body("filters.kinds", contains("all"))
                .body("filters.tags.include", hasSize(0)).body("overwrite", equalTo(true)).body("enabled", equalTo(true))
                .body("trigger.type", equalTo("manual"));
    }

    @Test
    void harborRefusals() {
        long ep = endpoint();
        String dest = "\"dest_registry\":{\"id\":" + ep + "}";
        String n = "\"name\":\"" + unique("bad") + "\",";
        List<String[]> cases = List.of(
                new String[] {"{" + n + "\"src_registry\":{\"url\":\"http://127.0.0.1:5000\"},\"dest_registry\":{\"url\":"
                    + "\"https://127.0.0.1:5443/\"}}", "both this berth"},
                new String[] {"{" + n + "\"src_registry\":{\"id\":" + ep + "}," + dest + "}", "neither src_registry nor"},
                new String[] {"{" + n + "\"dest_registry\":{\"id\":999999999}}", "dest_registry.id 999999999"},
                new String[] {"{" + n + "\"dest_registry\":{\"url\":\"https://nowhere.example.com\"}}",
                    "dest_registry.url https://nowhere.example.com is neither"},
                new String[] {"{" + n + "\"dest_registry\":{\"url\":\"ftp://x\"}}", "dest_registry.url is not"},
                new String[] {"{" + n + "\"src_registry\":{\"id\":" + ep + "},\"trigger\":{\"type\":\"event_based\"}}",
                    "pull policies run manually or on a schedule; remote registries send berth no events"},
                new String[] {"{" + n + dest + ",\"trigger\":{\"type\":\"scheduled\",\"schedule\":null}}",
                    "trigger.schedule is required"},
                new String[] {"{" + n + dest + ",\"trigger\":{\"type\":\"scheduled\",\"schedule\":\"soon\"}}",
                    "trigger.schedule: "},
                new String[] {"{" + n + dest + ",\"trigger\":{\"type\":\"manual\",\"schedule\":\"0 3 * * *\"}}",
                    "only for a scheduled trigger.type"},
                new String[] {"{" + n + dest + ",\"projects\":[{\"name\":\"My App\"}]}", "projects[0].name"},
                new String[] {"{" + n + dest + ",\"projects\":[{\"name\":\"a\",\"resources\":[\"vm\"]}]}",
                    "projects[0].resources[0]"},
                new String[] {"{" + n + dest + ",\"projects\":[{\"name\":\"a\",\"resources\":[\"image\"]},{\"name\":\"b\","
                    + "\"resources\":[\"chart\"]}]}", "projects[1].resources differ"},
                new String[] {"{" + n + dest + ",\"projects\":[{\"name\":\"a\"}],\"filters\":[{\"type\":\"name\","
                    + "\"value\":\"b/**\"}]}", "give one of them"},
                new String[] {"{" + n + dest + ",\"filters\":[{\"type\":\"label\",\"value\":\"x\"}]}", "no labels"},
                new String[] {"{" + n + dest + ",\"filters\":[{\"type\":\"tag\",\"value\":\"[x\"}]}", "filters[0].value"},
                new String[] {"{" + n + dest + ",\"filters\":[{\"type\":\"tag\",\"value\":\"x\",\"decoration\":\"is\"}]}",
                    "filters[0].decoration"},
                new String[] {"{" + n + dest + ",\"dest_namespace\":\"UP\"}", "dest_namespace must be"},
                new String[] {"{" + n + dest + ",\"dest_namespace_replace_count\":-3}", "dest_namespace_replace_count must be"},
                new String[] {"{" + n + dest + ",\"speed\":-5}", "speed must be"},
                new String[] {"{" + n + dest + ",\"override\":1}", "override must be true or false"},
                new String[] {"{" + n + dest + ",\"rule\":1}", "unknown field rule"},
                new String[] {"{" + dest + "}", "name must be"});
        PolicyResourceTest.assertRefused(cases);
        admin().when().get(ENDPOINTS + "/" + ep).then().statusCode(200);
    }
}
