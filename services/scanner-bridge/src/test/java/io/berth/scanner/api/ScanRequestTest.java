package io.berth.scanner.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.berth.scanner.support.ScanRows;
import io.berth.scanner.support.NoWorkers;
import io.berth.scanner.support.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST .../artifacts/{reference}/scan, POST /api/v1/projects/{p}/scan and POST /api/v1/system/scan-all. */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
@TestProfile(NoWorkers.class)
class ScanRequestTest {

    @Inject
    DataSource db;

    ScanRows rows;
    String project;
    long projectId;
    long repository;
    long image;
    String digest;

    @BeforeEach
    void anImage() {
        rows = new ScanRows(db);
        project = ScanRows.unique("scanreq");
        projectId = rows.project(project);
        repository = rows.repository(projectId, project + "/app/web");
        digest = ScanRows.digest(project + "/image");
        image = rows.image(repository, digest);
        rows.tag(repository, "v1", image);
        TestAuth.grant("dev", project, "developer");
    }

    @AfterEach
    void cleanUp() {
        rows.cleanUp();
        // scan-all queued the images other test classes left in the schema: not this test's to run.
        rows.update("DELETE FROM scan_jobs WHERE trigger = 'all' AND requested_by = 'admin'");
    }

    private String artifact(String reference) {
        return "/api/v1/projects/" + project + "/repositories/app/web/artifacts/" + reference;
    }

    private ValidatableResponse post(String path, String authorization) {
        var request = given();
        if (authorization != null) {
            request = request.header("Authorization", authorization);
        }
        return request.when().post(path).then();
    }

    @Test
    void aManualScanQueuesAJobAndMarksTheArtifactPending() {
        long id = post(artifact(digest) + "/scan", TestAuth.DEVELOPER).statusCode(202)
                .body("status", equalTo("queued")).body("scanner", equalTo("berth")).body("digest", equalTo(digest))
                .header("Location", equalTo(artifact(digest) + "/vulnerabilities"))
                .extract().jsonPath().getLong("id");
        assertEquals("manual", rows.scalar("SELECT trigger FROM scan_jobs WHERE id = ?", id));
        assertEquals(image, ((Number) rows.scalar("SELECT manifest_id FROM scan_jobs WHERE id = ?", id)).longValue());
        assertEquals(rows.builtin(), ((Number) rows.scalar("SELECT scanner_id FROM scan_jobs WHERE id = ?", id)).longValue());
        assertEquals(10, ((Number) rows.scalar("SELECT priority FROM scan_jobs WHERE id = ?", id)).intValue());
        assertEquals("dev", rows.scalar("SELECT requested_by FROM scan_jobs WHERE id = ?", id));
        assertEquals("pending", rows.scalar("SELECT status FROM manifest_scans WHERE manifest_id = ?", image));
        assertEquals(rows.builtin(), ((Number) rows.scalar("SELECT scanner_id FROM manifest_scans WHERE manifest_id = ?",
                image)).longValue());

        // By tag, while the job waits: the same job, no second row.
        post(artifact("v1") + "/scan", TestAuth.DEVELOPER).statusCode(202).body("id", equalTo((int) id))
                .body("status", equalTo("queued"));
        assertEquals(1L, rows.scalar("SELECT count(*) FROM scan_jobs WHERE manifest_id = ?", image));

        // Once it ran, a new request is a new job, and the artifact is pending again.
        rows.update("UPDATE scan_jobs SET status = 'succeeded' WHERE id = ?", id);
        rows.update("UPDATE manifest_scans SET status = 'success', summary = '{\"high\": 1}' WHERE manifest_id = ?", image);
        long second = post(artifact(digest) + "/scan", TestAuth.DEVELOPER).statusCode(202)
                .extract().jsonPath().getLong("id");
        assertNotEquals(id, second);
        assertEquals("pending", rows.scalar("SELECT status FROM manifest_scans WHERE manifest_id = ?", image));
    }

    @Test
    void aManualRequestJoinsAScanOnPushJobAndMovesItUp() {
        long push = rows.job(image, rows.builtin(), "queued", null);
        post(artifact(digest) + "/scan", TestAuth.DEVELOPER).statusCode(202).body("id", equalTo((int) push));
        assertEquals(10, ((Number) rows.scalar("SELECT priority FROM scan_jobs WHERE id = ?", push)).intValue());
        rows.update("UPDATE scan_jobs SET status = 'running' WHERE id = ?", push);
        post(artifact(digest) + "/scan", TestAuth.DEVELOPER).statusCode(202).body("id", equalTo((int) push))
                .body("status", equalTo("running"));
    }

    @Test
    void theProjectsScannerIsUsedAndADisabledOneRefuses() {
        long adapter = rows.scanner(ScanRows.unique("trivy"), false);
        rows.projectScanner(projectId, adapter);
        long id = post(artifact(digest) + "/scan", TestAuth.DEVELOPER).statusCode(202).extract().jsonPath().getLong("id");
        assertEquals(adapter, ((Number) rows.scalar("SELECT scanner_id FROM scan_jobs WHERE id = ?", id)).longValue());

        rows.update("UPDATE scanners SET disabled = true WHERE id = ?", adapter);
        post(artifact(digest) + "/scan", TestAuth.DEVELOPER).statusCode(409).body("errors[0].code", equalTo("CONFLICT"))
                .body("errors[0].message", containsString("is disabled"));
    }

    @Test
    void developersAndAboveMayScan() {
        post(artifact(digest) + "/scan", null).statusCode(401).header("WWW-Authenticate", equalTo("Basic realm=\"berth\""))
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
        post(artifact(digest) + "/scan", TestAuth.basic("dev", "wrong")).statusCode(401);
        post(artifact(digest) + "/scan", TestAuth.LIMITED).statusCode(429).header("Retry-After", equalTo("42"));
        // Not a member: 403, for a project that exists and one that does not alike.
        post(artifact(digest) + "/scan", TestAuth.OWNER).statusCode(403).body("errors[0].code", equalTo("FORBIDDEN"));
        post("/api/v1/projects/no-such-project/repositories/app/artifacts/v1/scan", TestAuth.OWNER).statusCode(403);
        for (String role : new String[] {"guest", "limitedGuest"}) {
            TestAuth.grant("owner", project, role);
            post(artifact(digest) + "/scan", TestAuth.OWNER).statusCode(403)
                    .body("errors[0].message", containsString("developer role or above"))
                    .body("errors[0].message", containsString(role));
        }
        // A public project lets anyone read, not scan.
        TestAuth.makePublic(project);
        post(artifact(digest) + "/scan", TestAuth.basic("owner", "owner-pw")).statusCode(403);
        for (String role : new String[] {"maintainer", "projectAdmin"}) {
            TestAuth.grant("owner", project, role);
            post(artifact(digest) + "/scan", TestAuth.OWNER).statusCode(202);
        }
        post(artifact(digest) + "/scan", TestAuth.ADMIN).statusCode(202);
        assertEquals(0L, rows.scalar("SELECT count(*) FROM scan_jobs WHERE manifest_id = ? AND requested_by <> 'owner'"
                + " AND requested_by <> 'admin'", image));
    }

    @Test
    void unknownNamesAre404AndMalformedOnes400() {
        post("/api/v1/projects/no-such-project/repositories/app/artifacts/v1/scan", TestAuth.ADMIN).statusCode(404)
                .body("errors[0].code", equalTo("NOT_FOUND")).body("errors[0].message", equalTo("project no-such-project not found"));
        post("/api/v1/projects/" + project + "/repositories/app/other/artifacts/v1/scan", TestAuth.DEVELOPER).statusCode(404)
                .body("errors[0].message", equalTo("repository " + project + "/app/other not found"));
        post(artifact(ScanRows.digest("nothing")) + "/scan", TestAuth.DEVELOPER).statusCode(404)
                .body("errors[0].message", containsString("artifact sha256:"));
        post(artifact("v2") + "/scan", TestAuth.DEVELOPER).statusCode(404)
                .body("errors[0].message", equalTo("tag v2 not found in " + project + "/app/web"));
        post(artifact("sha256:abc") + "/scan", TestAuth.DEVELOPER).statusCode(400).body("errors[0].code", equalTo("BAD_REQUEST"));
        post(artifact(".bad") + "/scan", TestAuth.DEVELOPER).statusCode(400);
        post("/api/v1/projects/" + project + "/repositories/App/artifacts/v1/scan", TestAuth.DEVELOPER).statusCode(400);
        assertEquals(0L, rows.scalar("SELECT count(*) FROM scan_jobs WHERE manifest_id = ?", image));
        // Wrong method: 405, not a scan.
        given().header("Authorization", TestAuth.DEVELOPER).when().get(artifact(digest) + "/scan").then().statusCode(405);
    }

    @Test
    void onlyImagesAndIndexesAreScanned() {
        long sbom = rows.manifest(repository, ScanRows.digest(project + "/sbom"), ScanRows.OCI_MANIFEST, ScanRows.CYCLONEDX);
        String sbomDigest = (String) rows.scalar("SELECT digest FROM manifests WHERE id = ?", sbom);
        post(artifact(sbomDigest) + "/scan", TestAuth.DEVELOPER).statusCode(400)
                .body("errors[0].message", containsString("only images are scanned"));
        long index = rows.manifest(repository, ScanRows.digest(project + "/index"), ScanRows.OCI_INDEX, null);
        String indexDigest = (String) rows.scalar("SELECT digest FROM manifests WHERE id = ?", index);
        post(artifact(indexDigest) + "/scan", TestAuth.DEVELOPER).statusCode(202);
        assertEquals(0L, rows.scalar("SELECT count(*) FROM scan_jobs WHERE manifest_id = ?", sbom));
    }

    @Test
    void aProjectScanQueuesEveryImageOnceForItsAdmins() {
        long second = rows.image(rows.repository(projectId, project + "/db"), ScanRows.digest(project + "/db"));
        long index = rows.manifest(repository, ScanRows.digest(project + "/index"), ScanRows.OCI_INDEX, null);
        long sbom = rows.manifest(repository, ScanRows.digest(project + "/sbom"), ScanRows.OCI_MANIFEST, ScanRows.CYCLONEDX);
        long open = rows.job(second, rows.builtin(), "running", null);
        String path = "/api/v1/projects/" + project + "/scan";

        post(path, null).statusCode(401);
        post(path, TestAuth.DEVELOPER).statusCode(403).body("errors[0].message", containsString("projectAdmin"));
        TestAuth.grant("owner", project, "projectAdmin");
        post(path, TestAuth.OWNER).statusCode(202).body("artifacts", equalTo(3)).body("queued", equalTo(2))
                .body("alreadyOpen", equalTo(1)).body("skipped", equalTo(0));
        assertEquals(2L, rows.scalar("SELECT count(*) FROM scan_jobs WHERE trigger = 'project' AND requested_by = 'owner'"
                + " AND priority = -1 AND manifest_id IN (?, ?)", image, index));
        assertEquals(0L, rows.scalar("SELECT count(*) FROM scan_jobs WHERE manifest_id = ?", sbom));
        assertEquals(1L, rows.scalar("SELECT count(*) FROM scan_jobs WHERE manifest_id = ?", second));
        assertEquals(open, ((Number) rows.scalar("SELECT id FROM scan_jobs WHERE manifest_id = ?", second)).longValue());
        assertEquals(2L, rows.scalar("SELECT count(*) FROM manifest_scans WHERE status = 'pending' AND manifest_id IN (?, ?)",
                image, index));
        // Again: every image has its open job now.
        post(path, TestAuth.ADMIN).statusCode(202).body("queued", equalTo(0)).body("alreadyOpen", equalTo(3));

        // A disabled scanner queues nothing and says so.
        rows.update("UPDATE scan_jobs SET status = 'succeeded' WHERE manifest_id IN (?, ?, ?)", image, index, second);
        long adapter = rows.scanner(ScanRows.unique("off"), true);
        rows.projectScanner(projectId, adapter);
        post(path, TestAuth.OWNER).statusCode(202).body("queued", equalTo(0)).body("skipped", equalTo(3));
        post("/api/v1/projects/no-such-project/scan", TestAuth.ADMIN).statusCode(404);
        post("/api/v1/projects/no-such-project/scan", TestAuth.OWNER).statusCode(403);
    }

    @Test
    void scanAllIsForSystemAdministrators() {
        post("/api/v1/system/scan-all", null).statusCode(401);
        post("/api/v1/system/scan-all", TestAuth.DEVELOPER).statusCode(403)
                .body("errors[0].message", containsString("only system administrators"));
        post("/api/v1/system/scan-all", TestAuth.ADMIN).statusCode(202).body("queued", greaterThanOrEqualTo(1))
                .body("artifacts", greaterThanOrEqualTo(1));
        assertEquals("all", rows.scalar("SELECT trigger FROM scan_jobs WHERE manifest_id = ?", image));
        assertEquals("admin", rows.scalar("SELECT requested_by FROM scan_jobs WHERE manifest_id = ?", image));
        assertEquals("pending", rows.scalar("SELECT status FROM manifest_scans WHERE manifest_id = ?", image));
        post("/api/v1/system/scan-all", TestAuth.ADMIN).statusCode(202).body("queued", equalTo(0));
    }
}
