package io.berth.scanner.pluggable;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.berth.scanner.adapter.SpecMediaTypes;
import io.berth.scanner.support.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The built-in scanner's Pluggable Scanner API: its auth, and its answers to bad requests in the spec's error model. */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class PluggableServerTest {

    static final String KEY = BuiltinScannerRoundTripTest.KEY;
    static final String DIGEST = "sha256:" + "b".repeat(64);

    @Test
    void theKeyIsAcceptedInEachOfHarborsThreeWays() {
        given().header("Authorization", "Bearer " + KEY).get("/scanner/api/v1/metadata").then().statusCode(200)
                .header("Content-Type", SpecMediaTypes.METADATA_1_0).body("scanner.name", equalTo("berth"))
                .body("capabilities[1].produces_mime_types[0]", equalTo(SpecMediaTypes.SBOM_REPORT_1_0));
        given().header("X-ScannerAdapter-API-Key", KEY).accept(SpecMediaTypes.METADATA_1_1)
                .get("/scanner/api/v1/metadata").then().statusCode(200).header("Content-Type", SpecMediaTypes.METADATA_1_1);
        given().header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("harbor:" + KEY).getBytes()))
                .get("/scanner/api/v1/metadata").then().statusCode(200);
    }

    @Test
    void noKeyOrAWrongKeyIs401() {
        given().get("/scanner/api/v1/metadata").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer")).body("error.message", containsString("API key"));
        given().header("Authorization", "Bearer wrong-key-wrong-key").get("/scanner/api/v1/metadata").then()
                .statusCode(401).body("error.message", equalTo("the API key is not valid"));
        given().header("X-ScannerAdapter-API-Key", KEY + "x").post("/scanner/api/v1/scan").then().statusCode(401);
    }

    @Test
    void badScanRequestsGetTheSpecsStatuses() {
        post("{not json").then().statusCode(400).contentType(SpecMediaTypes.ERROR)
                .body("error.message", equalTo("the body is not JSON"));
        post("{\"artifact\":{\"repository\":\"a\",\"digest\":\"" + DIGEST + "\"}}").then().statusCode(422)
                .body("error.message", equalTo("registry.url is required"));
        post("{\"registry\":{\"url\":\"ftp://x\"},\"artifact\":{\"repository\":\"a\",\"digest\":\"" + DIGEST + "\"}}")
                .then().statusCode(422).body("error.message", containsString("http://"));
        post("{\"registry\":{\"url\":\"http://127.0.0.1:1\"},\"artifact\":{\"repository\":\"a\",\"digest\":\"nope\"}}")
                .then().statusCode(422).body("error.message", containsString("artifact"));
        post("{\"registry\":{\"url\":\"http://127.0.0.1:1\"},\"artifact\":{\"repository\":\"a\",\"digest\":\"" + DIGEST
                + "\",\"mime_type\":\"application/vnd.oci.image.index.v1+json\"}}").then().statusCode(501)
                .body("error.message", containsString("image manifests"));
    }

    @Test
    void reportsByAcceptAndState() throws Exception {
        given().header("Authorization", "Bearer " + KEY).get("/scanner/api/v1/scan/no-such-id/report").then()
                .statusCode(404).body("error.message", containsString("no-such-id"));
        // A registry that refuses connections: the scan fails, and the report says why (500).
        String id = post("{\"registry\":{\"url\":\"http://127.0.0.1:1\"},\"artifact\":{\"repository\":\"a/b\","
                + "\"digest\":\"" + DIGEST + "\"}}").then().statusCode(202).contentType(SpecMediaTypes.SCAN_RESPONSE)
                .body("id", notNullValue()).extract().path("id");
        String path = "/scanner/api/v1/scan/" + id + "/report";
        given().header("Authorization", "Bearer " + KEY).accept("application/vnd.scanner.adapter.vuln.report.raw")
                .get(path).then().statusCode(501);
        given().header("Authorization", "Bearer " + KEY).accept(SpecMediaTypes.SBOM_REPORT_1_0).get(path).then()
                .statusCode(400).body("error.message", containsString("sbom_media_type"));
        given().header("Authorization", "Bearer " + KEY).accept(SpecMediaTypes.SBOM_REPORT_1_0)
                .queryParam("sbom_media_type", SpecMediaTypes.SPDX).get(path).then().statusCode(400)
                .body("error.message", containsString("CycloneDX".toLowerCase()));
        int status = 302;
        for (int i = 0; i < 50 && status == 302; i++) {
            status = given().redirects().follow(false).header("Authorization", "Bearer " + KEY)
                    .accept(SpecMediaTypes.VULN_REPORT_1_1).get(path).then().extract().statusCode();
            if (status == 302) {
                Thread.sleep(100);
            }
        }
        given().header("Authorization", "Bearer " + KEY).accept(SpecMediaTypes.VULN_REPORT_1_1).get(path).then()
                .statusCode(500).contentType(SpecMediaTypes.ERROR).body("error.message", containsString("cannot connect"));
    }

    private static io.restassured.response.Response post(String body) {
        return given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON).body(body)
                .post("/scanner/api/v1/scan");
    }
}
