package io.berth.registry.api;

import static io.berth.registry.support.RegistryErrors.assertError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.berth.oci.MediaTypes;
import io.berth.oci.RegistryErrorCode;
import io.berth.registry.api.ManifestPushPullTest.Image;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** GET /v2/<name>/tags/list: byte order, n/last pagination with Link, and its errors. */
@QuarkusTest
class TagListTest {

    /** A repository with tags pushed out of order; byte order puts upper case first. */
    static Image tagged(String prefix) {
        Image img = ManifestPushPullTest.image(prefix, MediaTypes.OCI_MANIFEST);
        for (String tag : new String[] {"v2", "latest", "v1", "Z", "v10"}) {
            ManifestPushPullTest.put(img.repo(), tag, MediaTypes.OCI_MANIFEST, img.manifest());
        }
        return img;
    }

    @Test
    void allTagsInByteOrderWithoutLink() {
        Image img = tagged("tags");
        given().when().get("/v2/" + img.repo() + "/tags/list")
                .then().statusCode(200).contentType("application/json")
                .header("Link", nullValue())
                .body("name", equalTo(img.repo()))
                .body("tags", contains("Z", "latest", "v1", "v10", "v2"));
    }

    @Test
    void threePagesFollowingTheLinkHeader() {
        Image img = tagged("tagpages");
        String base = "/v2/" + img.repo() + "/tags/list";

        Response first = given().when().get(base + "?n=2");
        first.then().statusCode(200).body("tags", contains("Z", "latest"))
                .header("Link", equalTo("<" + base + "?n=2&last=latest>; rel=\"next\""));

        Response second = given().when().get(base + "?n=2&last=latest");
        second.then().statusCode(200).body("tags", contains("v1", "v10"))
                .header("Link", equalTo("<" + base + "?n=2&last=v10>; rel=\"next\""));

        given().when().get(base + "?n=2&last=v10")
                .then().statusCode(200).body("tags", contains("v2"))
                .header("Link", nullValue());
    }

    @Test
    void lastWithoutNAndNZero() {
        Image img = tagged("tagzero");
        String base = "/v2/" + img.repo() + "/tags/list";
        given().when().get(base + "?last=v1").then().statusCode(200).body("tags", contains("v10", "v2"));
        given().when().get(base + "?n=0").then().statusCode(200)
                .body("tags", empty()).header("Link", nullValue());
        // Exactly n left: no Link, there is nothing after.
        given().when().get(base + "?n=2&last=v1").then().statusCode(200)
                .body("tags", contains("v10", "v2")).header("Link", nullValue());
    }

    @Test
    void invalidNIs400() {
        Image img = tagged("tagbadn");
        for (String n : new String[] {"-1", "abc", "1.5"}) {
            assertError(given().when().get("/v2/" + img.repo() + "/tags/list?n=" + n).then(),
                    400, RegistryErrorCode.UNSUPPORTED);
        }
    }

    @Test
    void unknownRepositoryIsNameUnknownAndBadNameIsNameInvalid() {
        assertError(given().when().get("/v2/" + TestProjects.create("tagnone") + "/app/tags/list").then(),
                RegistryErrorCode.NAME_UNKNOWN);
        assertError(given().when().get("/v2/Bad/tags/list").then(), RegistryErrorCode.NAME_INVALID);
    }
}
