package io.berth.replicator.api;

import static io.restassured.RestAssured.given;

import io.berth.replicator.support.TestAuth;
import io.berth.testing.OpenApiCopy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** This service's OpenAPI document is the copy in docs/openapi/replicator.json (see {@link OpenApiCopy}). */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class OpenApiDocumentTest {

    static final Path COPY = Path.of("../../docs/openapi/replicator.json");

    @Test
    void theCommittedCopyIsThisServicesDocument() throws Exception {
        String served = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString();
        OpenApiCopy.assertCommitted(served, COPY, path -> false);
    }
}
