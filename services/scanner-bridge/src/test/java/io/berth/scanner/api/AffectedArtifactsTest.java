package io.berth.scanner.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** GET /api/v1/vulnerabilities/{id}/artifacts: by id or alias, only readable projects, pages, the applicable scanner. */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
@TestProfile(NoWorkers.class)
class AffectedArtifactsTest {

    @Inject
    DataSource db;

    ScanRows rows;
    String cve;
    String ghsa;
    String mine;
    String others;
    String open;
    long mineId;
    long mineImage;

    @BeforeEach
    void findingsInThreeProjects() {
        rows = new ScanRows(db);
        // Ids no other test writes, so the administrator's search sees only these.
        cve = "CVE-2099-" + java.util.concurrent.ThreadLocalRandom.current().nextLong(1_000_000L, 1_000_000_000_000L);
        ghsa = "GHSA-" + ScanRows.unique("g").substring(2);
        mine = ScanRows.unique("aff-mine");
        others = ScanRows.unique("aff-others");
        open = ScanRows.unique("aff-open");
        long berth = rows.builtin();

        mineId = rows.project(mine);
        long web = rows.repository(mineId, mine + "/app/web");
        mineImage = rows.image(web, ScanRows.digest(mine + "/1"));
        rows.tag(web, "v1", mineImage);
        rows.tag(web, "latest", mineImage);
        report(mineImage, berth);
        // Found in two packages of the image, under the GHSA id with the CVE as alias.
        rows.finding(mineImage, berth, ghsa, new String[] {ghsa, cve}, "medium", "jackson-databind");
        rows.finding(mineImage, berth, ghsa + "-b", new String[] {ghsa + "-b", cve}, "high", "jackson-core");
        long second = rows.image(web, ScanRows.digest(mine + "/2"));
        report(second, berth);
        rows.finding(second, berth, ghsa, new String[] {ghsa, cve}, "low", "jackson-databind");
        // Not affected.
        long clean = rows.image(web, ScanRows.digest(mine + "/3"));
        report(clean, berth);

        long o = rows.project(others);
        long img = rows.image(rows.repository(o, others + "/db"), ScanRows.digest(others));
        report(img, berth);
        rows.finding(img, berth, cve, new String[] {cve}, "critical", "zlib");

        long p = rows.project(open);
        long pub = rows.image(rows.repository(p, open + "/base"), ScanRows.digest(open));
        report(pub, berth);
        rows.finding(pub, berth, cve, new String[] {cve}, "critical", "zlib");

        TestAuth.grant("dev", mine, "guest");
        TestAuth.makePublic(open);
    }

    private void report(long manifest, long scanner) {
        rows.report(manifest, scanner, "success", null, "{}", "[]", null, null);
    }

    @AfterEach
    void cleanUp() {
        rows.cleanUp();
    }

    private ValidatableResponse get(String path, String authorization) {
        var request = given();
        if (authorization != null) {
            request = request.header("Authorization", authorization);
        }
        return request.when().get(path).then();
    }

    @Test
    void administratorsSeeEveryProjectAndOthersWhatTheyMayPull() {
        get("/api/v1/vulnerabilities/" + cve + "/artifacts", TestAuth.ADMIN).statusCode(200)
                .header("X-Total-Count", "4")
                .body("project", equalTo(List.of(mine, mine, open, others).stream().sorted().toList()));
        get("/api/v1/vulnerabilities/" + cve + "/artifacts", TestAuth.DEVELOPER).statusCode(200)
                .header("X-Total-Count", "3")
                .body("project", equalTo(List.of(mine, mine, open).stream().sorted().toList()));
        // Someone with no project at all sees the public one only.
        get("/api/v1/vulnerabilities/" + cve + "/artifacts", TestAuth.OWNER).statusCode(200)
                .header("X-Total-Count", "1").body("[0].project", equalTo(open))
                .body("[0].repository", equalTo("base")).body("[0].severity", equalTo("critical"))
                .body("[0].packages", equalTo(List.of("zlib"))).body("[0].advisories", equalTo(List.of(cve)));
    }

    @Test
    void eachArtifactOnceWithItsTagsHighestSeverityAndPackages() {
        get("/api/v1/vulnerabilities/" + cve + "/artifacts?page_size=100", TestAuth.DEVELOPER).statusCode(200);
        String path = "/api/v1/vulnerabilities/" + ghsa + "/artifacts";
        var body = get(path, TestAuth.DEVELOPER).statusCode(200).header("X-Total-Count", "2").extract().jsonPath();
        String first = ScanRows.digest(mine + "/1");
        int i = body.getList("digest").indexOf(first);
        assertEquals(List.of("latest", "v1"), body.getList("[" + i + "].tags"));
        assertEquals("medium", body.getString("[" + i + "].severity"));
        assertEquals(List.of("jackson-databind"), body.getList("[" + i + "].packages"));
        assertEquals("app/web", body.getString("[" + i + "].repository"));
        assertEquals("berth", body.getString("[" + i + "].scanner"));
        // By the alias both findings count: the highest severity, both packages, both advisories.
        get("/api/v1/vulnerabilities/" + cve + "/artifacts", TestAuth.DEVELOPER).statusCode(200)
                .body("find { it.digest == '" + first + "' }.severity", equalTo("high"))
                .body("find { it.digest == '" + first + "' }.packages", equalTo(List.of("jackson-core", "jackson-databind")))
                .body("find { it.digest == '" + first + "' }.advisories", equalTo(List.of(ghsa, ghsa + "-b")));
        // Ids are found however they are written.
        get("/api/v1/vulnerabilities/" + cve.toLowerCase() + "/artifacts", TestAuth.DEVELOPER).statusCode(200)
                .header("X-Total-Count", "3");
    }

    @Test
    void pages() {
        String path = "/api/v1/vulnerabilities/" + cve + "/artifacts";
        List<String> all = get(path, TestAuth.ADMIN).extract().jsonPath().getList("digest");
        for (int page = 1; page <= 4; page++) {
            get(path + "?page_size=1&page=" + page, TestAuth.ADMIN).statusCode(200).header("X-Total-Count", "4")
                    .body("digest", equalTo(List.of(all.get(page - 1))));
        }
        get(path + "?page_size=1&page=5", TestAuth.ADMIN).statusCode(200).header("X-Total-Count", "4")
                .body("size()", equalTo(0));
        get(path + "?page_size=101", TestAuth.ADMIN).statusCode(400).body("errors[0].code", equalTo("BAD_REQUEST"));
        get(path + "?page=0", TestAuth.ADMIN).statusCode(400);
        get(path + "?page=x", TestAuth.ADMIN).statusCode(400);
    }

    @Test
    void theScannerThatAppliesCountsUnlessAnotherIsNamed() {
        long adapter = rows.scanner(ScanRows.unique("trivy"), false);
        String name = (String) rows.scalar("SELECT name FROM scanners WHERE id = ?", adapter);
        rows.projectScanner(mineId, adapter);
        // The project now uses the adapter, which has not found it (yet).
        get("/api/v1/vulnerabilities/" + ghsa + "/artifacts", TestAuth.DEVELOPER).statusCode(200)
                .header("X-Total-Count", "0");
        get("/api/v1/vulnerabilities/" + ghsa + "/artifacts?scanner=berth", TestAuth.DEVELOPER).statusCode(200)
                .header("X-Total-Count", "2");
        rows.report(mineImage, adapter, "success", null, "{}", "[]", null, null);
        rows.finding(mineImage, adapter, ghsa, new String[] {ghsa}, "critical", "jackson-databind");
        get("/api/v1/vulnerabilities/" + ghsa + "/artifacts", TestAuth.DEVELOPER).statusCode(200)
                .header("X-Total-Count", "1").body("[0].scanner", equalTo(name)).body("[0].severity", equalTo("critical"));
    }

    @Test
    void refusals() {
        get("/api/v1/vulnerabilities/" + cve + "/artifacts", null).statusCode(401)
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
        get("/api/v1/vulnerabilities/" + cve + "/artifacts", TestAuth.LIMITED).statusCode(429);
        get("/api/v1/vulnerabilities/bad%20id/artifacts", TestAuth.ADMIN).statusCode(400)
                .body("errors[0].code", equalTo("BAD_REQUEST"));
        get("/api/v1/vulnerabilities/" + "A".repeat(129) + "/artifacts", TestAuth.ADMIN).statusCode(400);
        get("/api/v1/vulnerabilities/CVE-2099-0/artifacts", TestAuth.ADMIN).statusCode(200).header("X-Total-Count", "0");
    }
}
