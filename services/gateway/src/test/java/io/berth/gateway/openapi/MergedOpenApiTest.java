package io.berth.gateway.openapi;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateway serves one OpenAPI document, without credentials, with every path of every
 * service's document, each operation tagged with the service that serves it.
 */
@QuarkusTest
class MergedOpenApiTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void theMergedDocumentHasEveryServicesPathsUnderItsTag() throws Exception {
        JsonNode merged = json.readTree(given().when().get(MergedOpenApi.PATH)
                .then().statusCode(200).contentType("application/json").extract().asString());
        assertEquals("berth", merged.path("info").path("title").asText());
        int checked = 0;
        for (String service : List.of("auth", "registry-api")) {
            JsonNode doc = MergedOpenApi.read(json, service);
            List<String> tags = new ArrayList<>();
            merged.path("tags").forEach(t -> tags.add(t.path("name").asText()));
            assertTrue(tags.contains(service), "no tag " + service + " in " + tags);
            for (var paths = doc.path("paths").fields(); paths.hasNext();) {
                var path = paths.next();
                JsonNode inMerged = merged.path("paths").path(path.getKey());
                assertFalse(inMerged.isMissingNode(), service + "'s " + path.getKey() + " is missing");
                for (var ops = path.getValue().fields(); ops.hasNext();) {
                    var op = ops.next();
                    assertEquals(service, inMerged.path(op.getKey()).path("tags").path(0).asText(),
                            path.getKey() + " " + op.getKey() + " is not tagged " + service);
                    checked++;
                }
            }
        }
        assertTrue(checked > 40, "only " + checked + " operations");
    }

    @Test
    void otherApiPathsAreTheGatewaysNotFound() {
        given().when().get("/api/v1/nothing-here").then().statusCode(404)
                .contentType("application/json")
                .body("errors[0].code", equalTo("NOT_FOUND"));
    }

    @Test
    void aPathTwoServicesDeclareIsRefused() throws Exception {
        Map<String, JsonNode> docs = new LinkedHashMap<>();
        docs.put("a", json.readTree("{\"paths\":{\"/x\":{\"get\":{}}}}"));
        docs.put("b", json.readTree("{\"paths\":{\"/x\":{\"put\":{}}}}"));
        var e = assertThrows(IllegalStateException.class, () -> OpenApiMerge.merge(docs));
        assertTrue(e.getMessage().contains("/x is declared by both a and b"), e.getMessage());
    }

    @Test
    void aSchemaOfOneNameWithTwoMeaningsIsRefused() throws Exception {
        Map<String, JsonNode> docs = new LinkedHashMap<>();
        docs.put("a", json.readTree("{\"components\":{\"schemas\":{\"S\":{\"type\":\"string\"}}}}"));
        docs.put("b", json.readTree("{\"components\":{\"schemas\":{\"S\":{\"type\":\"integer\"}}}}"));
        assertThrows(IllegalStateException.class, () -> OpenApiMerge.merge(docs));
        docs.put("b", json.readTree("{\"components\":{\"schemas\":{\"S\":{\"type\":\"string\"}}}}"));
        assertEquals("string", OpenApiMerge.merge(docs).path("components").path("schemas").path("S").path("type").asText());
    }
}
