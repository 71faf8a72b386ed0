package io.berth.scanner.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.scanner.support.ScanRows;
import io.berth.scanner.support.NoWorkers;
import io.berth.scanner.support.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET .../artifacts/{reference}/vulnerabilities and .../sbom: the report, its filters, who may read it, 404s. */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
@TestProfile(NoWorkers.class)
class ScanReportTest {

    static final String VULNERABILITIES = """
            [{"id": "DEBIAN-CVE-2023-45853", "aliases": ["CVE-2023-45853"], "package": "zlib1g", "ecosystem": "Debian",
              "installedVersion": "1:1.2.13.dfsg-1", "fixedVersion": null, "severity": "critical",
              "links": ["https://security-tracker.debian.org/tracker/CVE-2023-45853"]},
             {"id": "GHSA-57j2-w4cx-62h2", "aliases": ["CVE-2020-36518"], "package": "com.fasterxml.jackson.core:jackson-databind",
              "ecosystem": "Maven", "installedVersion": "2.12.6", "fixedVersion": "2.12.6.1", "severity": "high",
              "links": ["https://github.com/advisories/GHSA-57j2-w4cx-62h2"]},
             {"id": "ALPINE-CVE-2022-37434", "aliases": ["CVE-2022-37434"], "package": "zlib", "ecosystem": "Alpine",
              "installedVersion": "1.2.12-r1", "fixedVersion": "1.2.12-r2", "severity": "medium", "links": []},
             {"id": "GHSA-jfh8-c2jp-5v3q", "aliases": ["CVE-2021-44228"], "package": "org.apache.logging.log4j:log4j-core",
              "ecosystem": "Maven", "installedVersion": "2.14.1", "fixedVersion": "2.15.0", "severity": "low", "links": []},
             {"id": "OSV-2099-1", "aliases": [], "package": "left-pad", "ecosystem": "npm",
              "installedVersion": "1.0.0", "fixedVersion": null, "severity": "not yet assigned", "links": []}]""";
    static final String SUMMARY = """
            {"critical": 1, "high": 1, "medium": 1, "low": 1, "unknown": 1, "total": 5, "fixable": 3}""";
    static final String SBOM = """
            {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
             "components": [{"type": "library", "name": "zlib1g", "purl": "pkg:deb/debian/zlib1g@1.2.13"}]}""";

    @Inject
    DataSource db;

    ScanRows rows;
    String project;
    long projectId;
    long image;
    String digest;
    long importId;

    @BeforeEach
    void aScannedImage() {
        rows = new ScanRows(db);
        project = ScanRows.unique("scanrep");
        projectId = rows.project(project);
        long repository = rows.repository(projectId, project + "/app/web");
        digest = ScanRows.digest(project + "/image");
        image = rows.image(repository, digest);
        rows.tag(repository, "v1", image);
        importId = rows.vulnImport("osv-" + project);
        rows.report(image, rows.builtin(), "success", importId, SUMMARY, VULNERABILITIES, SBOM, null);
        TestAuth.grant("dev", project, "limitedGuest");
    }

    @AfterEach
    void cleanUp() {
        rows.cleanUp();
        rows.update("DELETE FROM vuln_imports WHERE id = ?", importId);
    }

    private String artifact(String reference) {
        return "/api/v1/projects/" + project + "/repositories/app/web/artifacts/" + reference;
    }

    private ValidatableResponse get(String path, String authorization) {
        var request = given();
        if (authorization != null) {
            request = request.header("Authorization", authorization);
        }
        return request.when().get(path).then();
    }

    @Test
    void theReportOfTheProjectsScannerHighestSeverityFirst() {
        for (String reference : List.of(digest, "v1")) {
            get(artifact(reference) + "/vulnerabilities", TestAuth.DEVELOPER).statusCode(200)
                    .body("project", equalTo(project)).body("repository", equalTo("app/web"))
                    .body("digest", equalTo(digest)).body("scanner", equalTo("berth")).body("status", equalTo("success"))
                    .body("generatedAt", startsWith("20")).body("error", nullValue())
                    .body("database.importId", equalTo((int) importId)).body("database.source", equalTo("osv-" + project))
                    .body("summary.critical", equalTo(1)).body("summary.total", equalTo(5))
                    .body("vulnerabilities.id", equalTo(List.of("DEBIAN-CVE-2023-45853", "GHSA-57j2-w4cx-62h2",
                            "ALPINE-CVE-2022-37434", "GHSA-jfh8-c2jp-5v3q", "OSV-2099-1")))
                    .body("vulnerabilities[1].aliases", equalTo(List.of("CVE-2020-36518")))
                    .body("vulnerabilities[1].package", equalTo("com.fasterxml.jackson.core:jackson-databind"))
                    .body("vulnerabilities[1].installedVersion", equalTo("2.12.6"))
                    .body("vulnerabilities[1].fixedVersion", equalTo("2.12.6.1"))
                    .body("vulnerabilities[1].links[0]", equalTo("https://github.com/advisories/GHSA-57j2-w4cx-62h2"));
        }
    }

    @Test
    void severityKeepsWhatIsAtOrAboveAndQSearchesIdsAliasesAndPackages() {
        String path = artifact(digest) + "/vulnerabilities";
        get(path + "?severity=high", TestAuth.DEVELOPER).statusCode(200)
                .body("vulnerabilities.id", equalTo(List.of("DEBIAN-CVE-2023-45853", "GHSA-57j2-w4cx-62h2")))
                // The summary stays the whole report's.
                .body("summary.total", equalTo(5));
        get(path + "?severity=LOW", TestAuth.DEVELOPER).statusCode(200).body("vulnerabilities.size()", equalTo(4));
        get(path + "?severity=unknown", TestAuth.DEVELOPER).statusCode(200).body("vulnerabilities.size()", equalTo(5));
        get(path + "?q=cve-2023", TestAuth.DEVELOPER).statusCode(200)
                .body("vulnerabilities.id", equalTo(List.of("DEBIAN-CVE-2023-45853")));
        get(path + "?q=CVE-2021-44228", TestAuth.DEVELOPER).statusCode(200)
                .body("vulnerabilities.id", equalTo(List.of("GHSA-jfh8-c2jp-5v3q")));
        get(path + "?q=zlib", TestAuth.DEVELOPER).statusCode(200)
                .body("vulnerabilities.package", equalTo(List.of("zlib1g", "zlib")));
        get(path + "?q=zlib&severity=critical", TestAuth.DEVELOPER).statusCode(200)
                .body("vulnerabilities.package", equalTo(List.of("zlib1g")));
        get(path + "?q=nothing-like-it", TestAuth.DEVELOPER).statusCode(200).body("vulnerabilities.size()", equalTo(0));
        get(path + "?severity=severe", TestAuth.DEVELOPER).statusCode(400).body("errors[0].code", equalTo("BAD_REQUEST"))
                .body("errors[0].message", containsString("critical, high, medium, low, unknown"));
        get(path + "?q=" + "x".repeat(201), TestAuth.DEVELOPER).statusCode(400);
    }

    @Test
    void anotherScannersReportOnRequestAndTheProjectsChoiceByDefault() {
        long adapter = rows.scanner(ScanRows.unique("trivy"), false);
        String name = (String) rows.scalar("SELECT name FROM scanners WHERE id = ?", adapter);
        rows.report(image, adapter, "error", null, "{}", "[]", null, "the adapter answered 500");
        get(artifact(digest) + "/vulnerabilities?scanner=" + name, TestAuth.DEVELOPER).statusCode(200)
                .body("scanner", equalTo(name)).body("status", equalTo("error"))
                .body("error", equalTo("the adapter answered 500")).body("database", nullValue())
                .body("vulnerabilities.size()", equalTo(0));
        get(artifact(digest) + "/vulnerabilities?scanner=no-such-scanner", TestAuth.DEVELOPER).statusCode(400)
                .body("errors[0].message", equalTo("no scanner named no-such-scanner is registered"));
        rows.projectScanner(projectId, adapter);
        get(artifact(digest) + "/vulnerabilities", TestAuth.DEVELOPER).statusCode(200).body("scanner", equalTo(name));
        get(artifact(digest) + "/sbom", TestAuth.DEVELOPER).statusCode(404)
                .body("errors[0].message", containsString("has no SBOM by scanner " + name));
        get(artifact(digest) + "/sbom?scanner=berth", TestAuth.DEVELOPER).statusCode(200);
    }

    @Test
    void notScannedYetSaysWhereTheScanStands() throws Exception {
        long repository = ((Number) rows.scalar("SELECT repository_id FROM manifests WHERE id = ?", image)).longValue();
        String other = ScanRows.digest(project + "/other");
        long fresh = rows.image(repository, other);
        String path = artifact(other) + "/vulnerabilities";
        get(path, TestAuth.DEVELOPER).statusCode(404).body("errors[0].code", equalTo("NOT_FOUND"))
                .body("errors[0].message", equalTo(project + "/app/web@" + other
                        + " has no report by scanner berth: it has not been scanned yet; POST .../scan to scan it"));
        long job = rows.job(fresh, rows.builtin(), "queued", null);
        get(path, TestAuth.DEVELOPER).statusCode(404)
                .body("errors[0].message", containsString("a scan is queued (job " + job + ")"));
        rows.update("UPDATE scan_jobs SET status = 'running' WHERE id = ?", job);
        get(artifact(other) + "/sbom", TestAuth.DEVELOPER).statusCode(404)
                .body("errors[0].message", containsString("a scan is running (job " + job + ")"));
        rows.update("UPDATE scan_jobs SET status = 'failed' WHERE id = ?", job);
        rows.update("INSERT INTO manifest_scans (manifest_id, status, error) VALUES (?, 'error', 'layer 2 is not a tar')", fresh);
        get(path, TestAuth.DEVELOPER).statusCode(404)
                .body("errors[0].message", containsString("the last scan failed: layer 2 is not a tar"));
    }

    @Test
    void theSbomIsTheStoredCycloneDxJson() throws Exception {
        String body = get(artifact("v1") + "/sbom", TestAuth.DEVELOPER).statusCode(200)
                .contentType("application/vnd.cyclonedx+json").extract().asString();
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(SBOM), json.readTree(body));
        // Asked for as JSON, it is still the CycloneDX document.
        given().header("Authorization", TestAuth.DEVELOPER).accept("application/json").when().get(artifact("v1") + "/sbom")
                .then().statusCode(200).contentType("application/vnd.cyclonedx+json");
        rows.update("UPDATE scan_reports SET sbom = NULL WHERE manifest_id = ?", image);
        get(artifact("v1") + "/sbom", TestAuth.DEVELOPER).statusCode(404).contentType("application/json")
                .body("errors[0].message", containsString("has no SBOM by scanner berth"));
    }

    @Test
    void anyoneWhoMayPullReads() {
        String path = artifact(digest) + "/vulnerabilities";
        get(path, null).statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        get(artifact(digest) + "/sbom", null).statusCode(401);
        get(path, TestAuth.basic("dev", "nope")).statusCode(401);
        get(path, TestAuth.LIMITED).statusCode(429);
        // Not a member of a private project: 403, whether or not the project exists.
        get(path, TestAuth.OWNER).statusCode(403).body("errors[0].code", equalTo("FORBIDDEN"))
                .body("errors[0].message", containsString("takes pull"));
        get(artifact(digest) + "/sbom", TestAuth.OWNER).statusCode(403);
        get("/api/v1/projects/no-such-project/repositories/app/artifacts/v1/vulnerabilities", TestAuth.OWNER).statusCode(403);
        get("/api/v1/projects/BAD/repositories/app/artifacts/v1/vulnerabilities", TestAuth.OWNER).statusCode(403);
        // limitedGuest (granted to dev) and the administrator read.
        get(path, TestAuth.DEVELOPER).statusCode(200);
        get(path, TestAuth.ADMIN).statusCode(200);
        // A public project: anyone signed in.
        TestAuth.makePublic(project);
        get(path, TestAuth.OWNER).statusCode(200);
        get(artifact(digest) + "/sbom", TestAuth.OWNER).statusCode(200);
    }

    @Test
    void unknownNamesAre404AndMalformedOnes400() {
        get("/api/v1/projects/no-such-project/repositories/app/artifacts/v1/vulnerabilities", TestAuth.ADMIN)
                .statusCode(404).body("errors[0].message", equalTo("project no-such-project not found"));
        get("/api/v1/projects/" + project + "/repositories/app/artifacts/v1/sbom", TestAuth.DEVELOPER).statusCode(404)
                .body("errors[0].message", equalTo("repository " + project + "/app not found"));
        get(artifact("latest") + "/vulnerabilities", TestAuth.DEVELOPER).statusCode(404)
                .body("errors[0].message", equalTo("tag latest not found in " + project + "/app/web"));
        get(artifact("sha256:not-hex") + "/vulnerabilities", TestAuth.DEVELOPER).statusCode(400)
                .body("errors[0].code", equalTo("BAD_REQUEST"));
        get(artifact("md5:" + "0".repeat(32)) + "/sbom", TestAuth.DEVELOPER).statusCode(400);
        get("/api/v1/projects/" + project + "/repositories/app//web/artifacts/v1/vulnerabilities", TestAuth.DEVELOPER)
                .statusCode(400);
    }
}
