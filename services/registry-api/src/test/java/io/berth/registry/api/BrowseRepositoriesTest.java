package io.berth.registry.api;

import static io.berth.registry.api.BrowseFixtures.admin;
import static io.berth.registry.api.BrowseFixtures.get;
import static io.berth.registry.support.ManagementErrors.assertManagementError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.berth.oci.Descriptor;
import io.berth.oci.MediaTypes;
import io.berth.registry.api.BrowseFixtures.Pushed;
import io.berth.registry.support.ManifestJson;
import io.berth.registry.support.RegistryRows;
import io.berth.registry.support.TestProjects;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /api/v1/projects/{project}/repositories: counts, sizes, order and pages. */
@QuarkusTest
class BrowseRepositoriesTest {

    @Test
    void listsRepositoriesByNameWithCountsSizesAndLastPush() {
        String project = TestProjects.create("browse-list");
        String app = project + "/app";
        Pushed first = BrowseFixtures.image(app, "one-" + project, "v1", "latest");
        // Shares first's layer: the layer's bytes count once in the repository's total.
        Descriptor layer = RegistryRows.blob(app, MediaTypes.OCI_LAYER_TAR_GZIP, "layer-one-" + project);
        Descriptor config = RegistryRows.blob(app, MediaTypes.OCI_CONFIG, "{\"second\":true}");
        Descriptor second = BrowseFixtures.push(app, MediaTypes.OCI_MANIFEST,
                ManifestJson.image(MediaTypes.OCI_MANIFEST, config, List.of(layer)), "v2");
        // A repository holding only an uploaded blob: no artifacts, but bytes.
        Descriptor lonely = RegistryRows.blob(project + "/base/tools", MediaTypes.OCI_CONFIG, "{\"x\":1}");

        Response answer = get("/api/v1/projects/" + project + "/repositories", admin());
        assertEquals(200, answer.statusCode(), answer::asString);
        assertEquals("2", answer.header("X-Total-Count"));
        JsonPath body = answer.jsonPath();
        assertEquals(List.of(app, project + "/base/tools"), body.getList("name"));

        assertEquals(2, body.getInt("[0].artifactCount"));
        assertEquals(3, body.getInt("[0].tagCount"));
        long expected = first.blobBytes() + config.size() + first.descriptor().size() + second.size();
        assertEquals(expected, body.getLong("[0].totalSize"));
        Timestamp lastPush = (Timestamp) RegistryRows.scalar("""
                SELECT max(m.pushed_at) FROM manifests m JOIN repositories r ON r.id = m.repository_id
                WHERE r.name = ?""", app);
        assertEquals(lastPush.toInstant(), Instant.parse(body.getString("[0].lastPushedAt")));
        Instant.parse(body.getString("[0].createdAt"));

        assertEquals(0, body.getInt("[1].artifactCount"));
        assertEquals(0, body.getInt("[1].tagCount"));
        assertEquals(lonely.size(), body.getLong("[1].totalSize"));
        assertNull(body.get("[1].lastPushedAt"));
        assertEquals(true, body.getMap("[1]").containsKey("lastPushedAt"), "null, not left out");
    }

    @Test
    void pagesThroughFiveRepositoriesWithTheTotalOnEveryPage() {
        String project = TestProjects.create("browse-pages");
        for (String r : List.of("e", "c", "a", "d", "b")) {
            RegistryRows.blob(project + "/" + r, MediaTypes.OCI_CONFIG, "{}");
        }
        String path = "/api/v1/projects/" + project + "/repositories?page_size=2&page=";
        List<List<String>> pages = List.of(List.of("a", "b"), List.of("c", "d"), List.of("e"), List.of());
        for (int page = 1; page <= pages.size(); page++) {
            Response answer = get(path + page, admin());
            assertEquals(200, answer.statusCode(), answer::asString);
            assertEquals("5", answer.header("X-Total-Count"), "page " + page);
            List<String> expected = pages.get(page - 1).stream().map(r -> project + "/" + r).toList();
            assertEquals(expected, answer.jsonPath().getList("name"), "page " + page);
        }
        // Without parameters: page 1 of 20.
        assertEquals(5, get("/api/v1/projects/" + project + "/repositories", admin())
                .jsonPath().getList("name").size());
    }

    @Test
    void badPageParametersAreBadRequests() {
        String project = TestProjects.create("browse-badpage");
        for (String query : List.of("page=0", "page=x", "page_size=0", "page_size=101", "page_size=-1")) {
            assertManagementError(get("/api/v1/projects/" + project + "/repositories?" + query, admin()),
                    400, "BAD_REQUEST");
        }
        assertEquals(200, get("/api/v1/projects/" + project + "/repositories?page_size=100", admin()).statusCode());
    }

    @Test
    void anUnknownProjectIsNotFoundAndAnEmptyOneIsAnEmptyList() {
        assertManagementError(get("/api/v1/projects/no-such-project-x9/repositories", admin()),
                404, "NOT_FOUND");
        Response empty = get("/api/v1/projects/" + TestProjects.create("browse-empty") + "/repositories", admin());
        assertEquals(200, empty.statusCode());
        assertEquals("0", empty.header("X-Total-Count"));
        assertEquals(List.of(), empty.jsonPath().getList("$"));
    }
}
