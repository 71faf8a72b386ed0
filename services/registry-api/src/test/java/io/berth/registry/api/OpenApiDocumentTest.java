package io.berth.registry.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * This service's OpenAPI document is the copy in docs/openapi/registry-api.json, from which the gateway
 * builds its merged document and checks its route table (OpenApiOwnershipTest). After an API
 * change, write the new copy with {@code -Dberth.openapi.write=true} and commit it.
 */
@QuarkusTest
class OpenApiDocumentTest {

    static final Path COPY = Path.of("../../docs/openapi/registry-api.json");

    @Test
    void theCommittedCopyIsThisServicesDocument() throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        JsonNode served = json.readTree(given().header(io.berth.registry.support.TestTokens.ANONYMOUS, "1").queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString());
        // Resources of the test sources (under /test/ and /v2/_test/) are in the document of a test run only.
        ((ObjectNode) served.path("paths")).properties().removeIf(path -> path.getKey().startsWith("/test/")
                || path.getKey().startsWith("/v2/_test/"));
        if (Boolean.getBoolean("berth.openapi.write")) {
            Files.createDirectories(COPY.getParent());
            Files.writeString(COPY, json.writeValueAsString(served) + "\n");
        }
        assertEquals(served, json.readTree(COPY.toFile()), COPY + " is not this service's OpenAPI document;"
                + " write it anew with -Dberth.openapi.write=true and commit it");
        served.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op ->
                assertFalse(op.getValue().path("tags").isEmpty(), path.getKey() + " " + op.getKey() + " has no tag")));
    }
}
