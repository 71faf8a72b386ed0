package io.berth.registry.api;

import static io.restassured.RestAssured.given;

import io.berth.testing.OpenApiCopy;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** This service's OpenAPI document is the copy in docs/openapi/registry-api.json (see {@link OpenApiCopy}). */
@QuarkusTest
class OpenApiDocumentTest {

    static final Path COPY = Path.of("../../docs/openapi/registry-api.json");

    @Test
    void theCommittedCopyIsThisServicesDocument() throws Exception {
        String served = given().header(io.berth.registry.support.TestTokens.ANONYMOUS, "1").queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString();
        // Resources of the test sources are in the document of a test run only.
        OpenApiCopy.assertCommitted(served, COPY, path -> path.startsWith("/test/") || path.startsWith("/v2/_test/"));
    }
}
