package io.berth.registry.api;

import static io.berth.registry.api.BrowseFixtures.admin;
import static io.berth.registry.api.BrowseFixtures.get;
import static io.berth.registry.api.BrowseFixtures.repoPath;
import static io.berth.registry.support.ManagementErrors.assertManagementError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.oci.Descriptor;
import io.berth.oci.MediaTypes;
import io.berth.registry.api.BrowseFixtures.Pushed;
import io.berth.registry.support.ManifestJson;
import io.berth.registry.support.RegistryRows;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** GET .../repositories/{repository}/artifacts: fields, order, pages and 404s. */
@QuarkusTest
class BrowseArtifactsTest {

    private static final String SBOM = "application/vnd.example.sbom.v1+json";

    @Test
    void listsArtifactsNewestFirstWithTagsChildrenAndSubject() {
        String repo = TestProjects.create("browse-art") + "/app/web";
        Pushed amd64 = BrowseFixtures.image(repo, "amd64-" + repo, "v1", "latest");
        Pushed arm64 = BrowseFixtures.image(repo, "arm64-" + repo);
        byte[] indexBytes = ManifestJson.index(MediaTypes.OCI_INDEX, List.of(
                amd64.descriptor(), arm64.descriptor()));
        Descriptor index = BrowseFixtures.push(repo, MediaTypes.OCI_INDEX, indexBytes, "multi");
        Descriptor empty = ManifestJson.empty();
        RegistryRows.blob(repo, empty.mediaType(), "{}");
        byte[] sbomBytes = ManifestJson.image(MediaTypes.OCI_MANIFEST, empty, List.of(empty), SBOM,
                amd64.descriptor(), Map.of());
        Descriptor sbom = BrowseFixtures.push(repo, MediaTypes.OCI_MANIFEST, sbomBytes);

        Response answer = get(repoPath(repo) + "/artifacts", admin());
        assertEquals(200, answer.statusCode(), answer::asString);
        assertEquals("4", answer.header("X-Total-Count"));
        JsonPath body = answer.jsonPath();
        assertEquals(Stream.of(sbom, index, arm64.descriptor(), amd64.descriptor())
                .map(d -> d.digest().toString()).toList(), body.getList("digest"));

        // The referrer: artifactType and subject, no tags.
        assertEquals(SBOM, body.getString("[0].artifactType"));
        assertEquals(amd64.digest().toString(), body.getString("[0].subject"));
        assertEquals(List.of(), body.getList("[0].tags"));
        // The index: its children, sorted by digest, and only its own bytes.
        assertEquals(MediaTypes.OCI_INDEX, body.getString("[1].mediaType"));
        assertEquals(Stream.of(amd64.digest().toString(), arm64.digest().toString()).sorted().toList(),
                body.getList("[1].children"));
        assertEquals(List.of("multi"), body.getList("[1].tags"));
        assertEquals(index.size(), body.getLong("[1].size"));
        assertEquals(index.size(), body.getLong("[1].totalSize"));
        // An image: tags in byte order, sizes, no subject or children, never pulled.
        assertEquals(List.of("latest", "v1"), body.getList("[3].tags"));
        assertEquals(MediaTypes.OCI_MANIFEST, body.getString("[3].mediaType"));
        // The effective artifact type, as the referrers API reports it: the config's media type.
        assertEquals(MediaTypes.OCI_CONFIG, body.getString("[3].artifactType"));
        assertEquals(amd64.descriptor().size(), body.getLong("[3].size"));
        assertEquals(amd64.descriptor().size() + amd64.blobBytes(), body.getLong("[3].totalSize"));
        assertNull(body.get("[3].subject"));
        assertEquals(List.of(), body.getList("[3].children"));
        assertNull(body.get("[3].lastPulledAt"));
        assertTrue(body.getMap("[3]").containsKey("lastPulledAt"), "null, not left out");
        Instant pushed = Instant.parse(body.getString("[3].pushedAt"));
        assertTrue(!pushed.isAfter(Instant.parse(body.getString("[0].pushedAt"))));
    }

    @Test
    void anIndexListsThePlatformsOfItsEntriesInItsOwnOrder() {
        String repo = TestProjects.create("browse-plat") + "/app";
        Pushed amd64 = BrowseFixtures.image(repo, "p-amd64-" + repo);
        Pushed arm64 = BrowseFixtures.image(repo, "p-arm64-" + repo);
        Pushed attestation = BrowseFixtures.image(repo, "p-att-" + repo);
        // arm64 first, then amd64, then an entry without a platform: not the children's byte order.
        String indexJson = """
                {"schemaVersion": 2, "mediaType": "%s", "manifests": [
                  {"mediaType": "%s", "digest": "%s", "size": %d,
                   "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}},
                  {"mediaType": "%s", "digest": "%s", "size": %d,
                   "platform": {"architecture": "amd64", "os": "linux", "os.version": "6.1"}},
                  {"mediaType": "%s", "digest": "%s", "size": %d}]}
                """.formatted(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, arm64.digest(), arm64.descriptor().size(),
                MediaTypes.OCI_MANIFEST, amd64.digest(), amd64.descriptor().size(),
                MediaTypes.OCI_MANIFEST, attestation.digest(), attestation.descriptor().size());
        BrowseFixtures.push(repo, MediaTypes.OCI_INDEX, indexJson.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // A Docker manifest list is an index too.
        byte[] list = ManifestJson.index(MediaTypes.DOCKER_MANIFEST_LIST, List.of(amd64.descriptor()));
        BrowseFixtures.push(repo, MediaTypes.DOCKER_MANIFEST_LIST, list);

        JsonPath body = get(repoPath(repo) + "/artifacts", admin()).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
                MediaTypes.OCI_MANIFEST, MediaTypes.OCI_MANIFEST), body.getList("mediaType"));
        assertEquals(List.of(Map.of("digest", amd64.digest().toString(), "os", "linux", "architecture", "amd64")),
                body.getList("[0].platforms").stream().map(BrowseArtifactsTest::withoutNulls).toList());
        List<Map<String, Object>> platforms = body.getList("[1].platforms");
        assertEquals(3, platforms.size());
        assertEquals(Map.of("digest", arm64.digest().toString(), "os", "linux", "architecture", "arm64", "variant", "v8"),
                platforms.get(0));
        assertEquals(Map.of("digest", amd64.digest().toString(), "os", "linux", "architecture", "amd64"),
                withoutNulls(platforms.get(1)));
        assertTrue(platforms.get(1).containsKey("variant"), "a missing variant is null, not left out");
        assertEquals(Map.of("digest", attestation.digest().toString()), withoutNulls(platforms.get(2)));
        // children is unchanged: the distinct digests in byte order.
        assertEquals(Stream.of(amd64, arm64, attestation).map(p -> p.digest().toString()).sorted().toList(),
                body.getList("[1].children"));
        // Anything that is not an index has an empty list, not null.
        for (int i = 2; i < 5; i++) {
            assertEquals(List.of(), body.getList("[" + i + "].platforms"));
        }
    }

    private static Map<String, Object> withoutNulls(Object entry) {
        Map<String, Object> out = new java.util.HashMap<>();
        ((Map<?, ?>) entry).forEach((k, v) -> {
            if (v != null) {
                out.put((String) k, v);
            }
        });
        return out;
    }

    @Test
    void showsTheLastPullTime() {
        String repo = TestProjects.create("browse-pulled") + "/app";
        Pushed img = BrowseFixtures.image(repo, "pulled-" + repo, "v1");
        // Pull tracking writes this column; here it is set directly so only the listing is tested.
        RegistryRows.scalar("""
                UPDATE manifests SET last_pulled_at = '2030-01-02T03:04:05Z'
                WHERE digest = ? RETURNING 1""", img.digest().toString());
        Response answer = get(repoPath(repo) + "/artifacts", admin());
        assertEquals(Instant.parse("2030-01-02T03:04:05Z"),
                Instant.parse(answer.jsonPath().getString("[0].lastPulledAt")));
    }

    @Test
    void everyArtifactCarriesItsScanStateOrNull() {
        String repo = TestProjects.create("browse-scan") + "/app";
        Pushed scanned = BrowseFixtures.image(repo, "scanned-" + repo, "v1");
        Pushed pending = BrowseFixtures.image(repo, "pending-" + repo);
        Pushed never = BrowseFixtures.image(repo, "never-" + repo);
        // What scanner-bridge writes; here set directly so only the listing is tested.
        RegistryRows.scalar("""
                INSERT INTO manifest_scans (manifest_id, status, summary, scanner_id, updated_at)
                SELECT m.id, 'success', '{"critical": 1, "high": 2, "medium": 0, "low": 0, "unknown": 0, "total": 3}',
                    (SELECT id FROM scanners WHERE name = 'berth'), '2030-01-02T03:04:05Z'
                FROM manifests m WHERE m.digest = ? RETURNING 1""", scanned.digest().toString());
        RegistryRows.scalar("""
                INSERT INTO manifest_scans (manifest_id, status)
                SELECT m.id, 'pending' FROM manifests m WHERE m.digest = ? RETURNING 1""", pending.digest().toString());

        Response answer = get(repoPath(repo) + "/artifacts", admin());
        assertEquals(200, answer.statusCode(), answer::asString);
        JsonPath body = answer.jsonPath();
        assertEquals(List.of(never.digest().toString(), pending.digest().toString(), scanned.digest().toString()),
                body.getList("digest"));
        assertEquals("success", body.getString("[2].scan.status"));
        assertEquals(Map.of("critical", 1, "high", 2, "medium", 0, "low", 0, "unknown", 0, "total", 3),
                body.getMap("[2].scan.summary"));
        assertEquals("berth", body.getString("[2].scan.scanner"));
        assertEquals(Instant.parse("2030-01-02T03:04:05Z"), Instant.parse(body.getString("[2].scan.updatedAt")));
        assertEquals("pending", body.getString("[1].scan.status"));
        assertNull(body.get("[1].scan.summary"));
        assertNull(body.get("[1].scan.scanner"));
        assertNull(body.get("[0].scan"));
        assertTrue(body.getMap("[0]").containsKey("scan"), "null, not left out");
    }

    @Test
    void pagesArtifacts() {
        String repo = TestProjects.create("browse-artpages") + "/app";
        List<Pushed> pushed = Stream.of("a", "b", "c")
                .map(s -> BrowseFixtures.image(repo, s + repo)).toList();
        for (int page = 1; page <= 3; page++) {
            Response answer = get(repoPath(repo) + "/artifacts?page_size=1&page=" + page, admin());
            assertEquals("3", answer.header("X-Total-Count"));
            assertEquals(List.of(pushed.get(3 - page).digest().toString()),
                    answer.jsonPath().getList("digest"), "page " + page);
        }
        assertManagementError(get(repoPath(repo) + "/artifacts?page_size=1000", admin()), 400, "BAD_REQUEST");
    }

    @Test
    void unknownRepositoryOrProjectIsNotFound() {
        String project = TestProjects.create("browse-art404");
        assertManagementError(get("/api/v1/projects/" + project + "/repositories/nothing/artifacts", admin()),
                404, "NOT_FOUND");
        assertManagementError(get("/api/v1/projects/no-such-project-x9/repositories/app/artifacts", admin()),
                404, "NOT_FOUND");
        assertManagementError(get("/api/v1/projects/" + project + "/repositories/BAD..name/artifacts", admin()),
                400, "BAD_REQUEST");
    }
}
