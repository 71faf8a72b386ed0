package io.berth.registry.api;

import static io.berth.registry.support.RegistryErrors.assertError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.berth.oci.MediaTypes;
import io.berth.oci.RegistryErrorCode;
import io.berth.registry.support.RegistryRows;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * GET /v2/_catalog. The test database holds every other test's repositories too, so pages
 * start at this test's unique project name: nothing else sorts between it and its repositories.
 */
@QuarkusTest
class CatalogTest {

    @Test
    void pagesThroughRepositoriesInByteOrder() {
        String project = TestProjects.create("catalog");
        for (String r : new String[] {"c", "a", "b"}) {
            RegistryRows.blob(project + "/" + r, MediaTypes.OCI_CONFIG, "{}");
        }
        given().when().get("/v2/_catalog?n=2&last=" + project)
                .then().statusCode(200).contentType("application/json")
                .body("repositories", contains(project + "/a", project + "/b"))
                .header("Link", equalTo("</v2/_catalog?n=2&last=" + project + "/b>; rel=\"next\""));
        given().when().get("/v2/_catalog?n=2&last=" + project + "/b")
                .then().statusCode(200)
                .body("repositories[0]", equalTo(project + "/c"));
        given().when().get("/v2/_catalog").then().statusCode(200)
                .body("repositories", hasItem(project + "/a"));
    }

    @Test
    void nZeroIsEmptyWithoutLinkAndBadNIs400() {
        given().when().get("/v2/_catalog?n=0").then().statusCode(200)
                .body("repositories", empty()).header("Link", nullValue());
        assertError(given().when().get("/v2/_catalog?n=-3").then(), 400, RegistryErrorCode.UNSUPPORTED);
    }
}
