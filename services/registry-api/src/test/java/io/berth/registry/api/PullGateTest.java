package io.berth.registry.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.registry.service.PullGatePolicies;
import io.berth.registry.support.Images;
import io.berth.registry.support.Images.Image;
import io.berth.registry.support.ManifestJson;
import io.berth.registry.support.TestDatabase;
import io.berth.registry.support.TestProjects;
import io.berth.registry.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pull gate (docs/security.md, "The pull gate") against the real PostgreSQL: projects'
 * policies and the system allowlist as auth stores them, {@code manifest_scans} rows as
 * scanner-bridge writes them, and manifest GETs refused with 403 DENIED or served.
 */
@QuarkusTest
class PullGateTest {

    private static final String FINDINGS = """
            [{"ids": ["CVE-2024-1"], "severity": "critical"},
             {"ids": ["GHSA-aaaa-bbbb-cccc", "CVE-2024-2"], "severity": "CRITICAL"},
             {"ids": ["CVE-2024-3"], "severity": "high"},
             {"ids": ["CVE-2024-4"], "severity": "medium"},
             {"ids": ["CVE-2024-5"], "severity": "medium"},
             {"ids": ["CVE-2024-6"], "severity": "unknown"}]""";

    @Inject
    PullGatePolicies policies;

    @AfterEach
    void noSystemAllowlist() {
        TestDatabase.update("UPDATE system_settings SET vulnerability_allowlist = '[]'");
        policies.reload();
    }

    @Test
    void aVulnerableArtifactIsRefusedWithItsCountsAndHeadStillAnswers() {
        String repo = TestProjects.create("gate") + "/app";
        Image image = pushed(repo, 1, "v1");
        policy(repo, "{\"preventPull\": true, \"severity\": \"high\"}");
        scan(repo, image.digest(), "success", FINDINGS);

        Response refused = get(repo, "v1");
        assertDenied(refused, "2 critical, 1 high (at or above high, not allowlisted)");
        String report = "/api/v1/projects/" + project(repo) + "/repositories/app/artifacts/" + image.digest()
                + "/vulnerabilities";
        refused.then().body("errors[0].message", containsString("the report: GET " + report))
                .body("errors[0].detail.counts.critical", equalTo(2))
                .body("errors[0].detail.counts.high", equalTo(1))
                .body("errors[0].detail.counts.medium", nullValue())
                .body("errors[0].detail.severity", equalTo("high"))
                .body("errors[0].detail.digest", equalTo(image.digest().toString()))
                .body("errors[0].detail.report", equalTo("GET " + report));
        assertDenied(get(repo, image.digest().toString()), "2 critical, 1 high");
        // HEAD serves no content and is never gated.
        given().when().head("/v2/" + repo + "/manifests/v1").then().statusCode(200)
                .header("Docker-Content-Digest", image.digest().toString());

        // At low, the mediums count too; the unknown never does.
        policy(repo, "{\"preventPull\": true, \"severity\": \"low\"}");
        assertDenied(get(repo, "v1"), "2 critical, 1 high, 2 medium (at or above low");
    }

    @Test
    void belowTheThresholdAndWithoutPreventPullNothingIsRefused() {
        String repo = TestProjects.create("gate") + "/app";
        Image image = pushed(repo, 2, "v1");
        scan(repo, image.digest(), "success", "[{\"ids\": [\"CVE-2024-3\"], \"severity\": \"high\"}]");
        policy(repo, "{\"preventPull\": true, \"severity\": \"critical\"}");
        assertServed(get(repo, "v1"), image);

        // preventPull off: neither findings nor unscanned = deny refuse anything.
        scan(repo, image.digest(), "success", FINDINGS);
        policy(repo, "{\"scanOnPush\": true, \"preventPull\": false, \"severity\": \"low\", \"unscanned\": \"deny\"}");
        assertServed(get(repo, "v1"), image);
        Image unscanned = pushed(repo, 3, "v2");
        assertServed(get(repo, "v2"), unscanned);
    }

    @Test
    void allowlistedIdsOfTheProjectAndTheSystemPassUntilTheyExpire() {
        String repo = TestProjects.create("gate") + "/app";
        Image image = pushed(repo, 4, "v1");
        scan(repo, image.digest(), "success", FINDINGS);
        String future = Instant.now().plusSeconds(3600).toString();
        String past = Instant.now().minusSeconds(1).toString();

        // The project covers CVE-2024-1 and, by its alias, the GHSA finding; the system CVE-2024-3.
        policy(repo, "{\"preventPull\": true, \"severity\": \"high\", \"allowlist\": [\"CVE-2024-1\","
                + " {\"id\": \"ghsa-aaaa-bbbb-cccc\", \"expiresAt\": \"" + future + "\"}]}");
        systemAllowlist("[{\"id\": \"CVE-2024-3\", \"expiresAt\": null}]");
        assertServed(get(repo, "v1"), image);

        // An expired entry no longer counts, in either list.
        policy(repo, "{\"preventPull\": true, \"severity\": \"high\", \"allowlist\": [\"CVE-2024-1\","
                + " {\"id\": \"CVE-2024-2\", \"expiresAt\": \"" + past + "\"}]}");
        assertDenied(get(repo, "v1"), ": 1 critical (at or above high");
        systemAllowlist("[\"CVE-2024-2\", {\"id\": \"CVE-2024-3\", \"expiresAt\": \"" + past + "\"}]");
        assertDenied(get(repo, "v1"), ": 1 high (at or above high");
        systemAllowlist("[\"CVE-2024-2\", \"CVE-2024-3\"]");
        assertServed(get(repo, "v1"), image);
    }

    @Test
    void anArtifactWithoutAFinishedScanFollowsUnscanned() {
        String repo = TestProjects.create("gate") + "/app";
        Image image = pushed(repo, 5, "v1");
        policy(repo, "{\"preventPull\": true}");
        assertServed(get(repo, "v1"), image);

        policy(repo, "{\"preventPull\": true, \"unscanned\": \"deny\"}");
        assertDenied(get(repo, "v1"), "it has no finished scan (scan: none)");
        get(repo, "v1").then().body("errors[0].message", containsString("scan it: POST /api/v1/projects/"
                + project(repo) + "/repositories/app/artifacts/" + image.digest() + "/scan"));
        for (String status : List.of("pending", "running", "error")) {
            scan(repo, image.digest(), status, "[]");
            assertDenied(get(repo, "v1"), "(scan: " + status + ")");
        }
        scan(repo, image.digest(), "success", "[]");
        assertServed(get(repo, "v1"), image);

        // A rescan keeps the earlier report's summary: the artifact counts as scanned, and the
        // findings recorded still count whatever the status.
        scanWithSummary(repo, image.digest(), "running", "[]");
        assertServed(get(repo, "v1"), image);
        scanWithSummary(repo, image.digest(), "pending", "[{\"ids\": [\"CVE-2024-1\"], \"severity\": \"critical\"}]");
        assertDenied(get(repo, "v1"), "1 critical");
    }

    @Test
    void aTokenWithScannerPullPassesTheGate() {
        String repo = TestProjects.create("gate") + "/app";
        Image image = pushed(repo, 6, "v1");
        policy(repo, "{\"preventPull\": true, \"unscanned\": \"deny\"}");
        scan(repo, image.digest(), "success", FINDINGS);

        assertServed(given().header("Authorization", "Bearer " + TestTokens.token("repository:" + repo + ":pull,scanner-pull"))
                .when().get("/v2/" + repo + "/manifests/v1").then().extract().response(), image);
        // For another repository it counts for nothing, and pull alone is gated.
        assertDenied(given().header("Authorization", "Bearer " + TestTokens.token("repository:" + repo + ":pull",
                        "repository:" + repo + "/other:pull,scanner-pull"))
                .when().get("/v2/" + repo + "/manifests/v1").then().extract().response(), "2 critical");
    }

    @Test
    void anIndexIsGatedByItsRowAndEachChildByItsOwn() {
        String repo = TestProjects.create("gate") + "/multi";
        Image clean = pushed(repo, 7, "amd64");
        Image vulnerable = pushed(repo, 8, "arm64");
        byte[] index = ManifestJson.index(MediaTypes.OCI_INDEX, List.of(
                ManifestJson.describe(MediaTypes.OCI_MANIFEST, clean.manifest()),
                ManifestJson.describe(MediaTypes.OCI_MANIFEST, vulnerable.manifest())));
        given().contentType(MediaTypes.OCI_INDEX).body(index).when().put("/v2/" + repo + "/manifests/latest")
                .then().statusCode(201);
        Digest indexDigest = Digest.sha256(index);
        policy(repo, "{\"preventPull\": true, \"severity\": \"high\", \"unscanned\": \"deny\"}");
        scan(repo, clean.digest(), "success", "[{\"ids\": [\"CVE-2024-4\"], \"severity\": \"medium\"}]");
        scan(repo, vulnerable.digest(), "success", "[{\"ids\": [\"CVE-2024-3\"], \"severity\": \"high\"}]");
        // scanner-bridge writes the union of the children's findings on the index's row.
        scan(repo, indexDigest, "success", "[{\"ids\": [\"CVE-2024-4\"], \"severity\": \"medium\"},"
                + " {\"ids\": [\"CVE-2024-3\"], \"severity\": \"high\"}]");

        assertDenied(get(repo, "latest"), ": 1 high");
        get(repo, "latest").then().body("errors[0].detail.digest", equalTo(indexDigest.toString()));
        assertServed(get(repo, clean.digest().toString()), clean);
        assertDenied(get(repo, vulnerable.digest().toString()), ": 1 high");
        given().when().head("/v2/" + repo + "/manifests/latest").then().statusCode(200);
    }

    @Test
    void changesReachTheGateByThePollWithinSeconds() throws InterruptedException {
        String repo = TestProjects.create("gate") + "/app";
        Image image = pushed(repo, 9, "v1");
        scan(repo, image.digest(), "success", "[{\"ids\": [\"CVE-2024-9\"], \"severity\": \"critical\"}]");
        assertServed(get(repo, "v1"), image);

        // As auth's API or an operator's SQL change them: no reload here, only the poll.
        TestProjects.update(project(repo), "vulnerability_policy = ?::jsonb", "{\"preventPull\": true}");
        assertEquals(403, within(5_000, () -> get(repo, "v1"), 403).statusCode());
        TestDatabase.update("UPDATE system_settings SET vulnerability_allowlist = '[\"CVE-2024-9\"]'");
        assertEquals(200, within(5_000, () -> get(repo, "v1"), 200).statusCode());
    }

    private Image pushed(String repo, long seed, String tag) {
        Image image = Images.of(repo, seed, 1_000);
        Images.pushOk(image, tag);
        return image;
    }

    private void policy(String repo, String json) {
        TestProjects.update(project(repo), "vulnerability_policy = ?::jsonb", json);
        policies.reload();
    }

    private void systemAllowlist(String json) {
        TestDatabase.update("UPDATE system_settings SET vulnerability_allowlist = ?::jsonb", json);
        policies.reload();
    }

    private static String project(String repo) {
        return repo.split("/")[0];
    }

    /** The row scanner-bridge would write, without the summary of an earlier report. */
    private static void scan(String repo, Digest digest, String status, String gate) {
        upsertScan(repo, digest, status, null, gate);
    }

    private static void scanWithSummary(String repo, Digest digest, String status, String gate) {
        upsertScan(repo, digest, status, "{\"critical\": 0, \"high\": 0, \"total\": 0}", gate);
    }

    private static void upsertScan(String repo, Digest digest, String status, String summary, String gate) {
        int rows = TestDatabase.update("""
                INSERT INTO manifest_scans (manifest_id, status, summary, gate)
                SELECT m.id, ?, ?::jsonb, ?::jsonb FROM manifests m JOIN repositories r ON r.id = m.repository_id
                WHERE r.name = ? AND m.digest = ?
                ON CONFLICT (manifest_id) DO UPDATE SET status = EXCLUDED.status, summary = EXCLUDED.summary,
                    gate = EXCLUDED.gate, updated_at = now()""", status, summary, gate, repo, digest.toString());
        assertEquals(1, rows, "no manifest " + digest + " in " + repo);
    }

    private static Response get(String repo, String reference) {
        return given().when().get("/v2/" + repo + "/manifests/" + reference).then().extract().response();
    }

    private static void assertDenied(Response answer, String message) {
        assertEquals(403, answer.statusCode(), answer::asString);
        answer.then().contentType("application/json")
                .body("errors[0].code", equalTo("DENIED"))
                .body("errors[0].message", containsString(message));
    }

    private static void assertServed(Response answer, Image image) {
        assertEquals(200, answer.statusCode(), answer::asString);
        answer.then().header("Docker-Content-Digest", image.digest().toString())
                .body(not(containsString("DENIED")));
    }

    private static Response within(long millis, java.util.function.Supplier<Response> call, int status)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        Response last = call.get();
        while (last.statusCode() != status && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            last = call.get();
        }
        return last;
    }
}
