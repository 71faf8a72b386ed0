package io.berth.registry.api;

import static io.berth.registry.api.BrowseFixtures.admin;
import static io.berth.registry.api.BrowseFixtures.bearer;
import static io.berth.registry.api.BrowseFixtures.delete;
import static io.berth.registry.api.BrowseFixtures.get;
import static io.berth.registry.api.BrowseFixtures.repoPath;
import static io.berth.registry.support.ManagementErrors.assertManagementError;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.oci.MediaTypes;
import io.berth.registry.api.BrowseFixtures.Pushed;
import io.berth.registry.support.RegistryRows;
import io.berth.registry.support.TestProjects;
import io.berth.registry.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who may browse and delete (docs/adr/0010-browsing-api.md): a valid registry token always;
 * reads need {@code registry:catalog:*} or pull on the repository, deletes need delete on it.
 */
@QuarkusTest
class BrowseAuthTest {

    @Test
    void withoutATokenEveryRouteIsUnauthorizedWithAChallenge() {
        String repo = TestProjects.create("browse-anon") + "/app";
        Pushed img = BrowseFixtures.image(repo, "anon-" + repo, "v1");
        for (String[] call : List.of(
                new String[] {"GET", "/api/v1/projects/" + repo.split("/")[0] + "/repositories"},
                new String[] {"GET", repoPath(repo) + "/artifacts"},
                new String[] {"DELETE", repoPath(repo) + "/artifacts/" + img.digest()},
                new String[] {"DELETE", repoPath(repo) + "/artifacts/" + img.digest() + "/tags/v1"})) {
            Response answer = given().header(TestTokens.ANONYMOUS, "1")
                    .when().request(call[0], call[1]).then().extract().response();
            assertManagementError(answer, 401, "UNAUTHORIZED");
            assertTrue(answer.header("WWW-Authenticate").startsWith("Bearer realm="), call[1]);
        }
        given().when().get("/v2/" + repo + "/manifests/v1").then().statusCode(200);
    }

    @Test
    void anInvalidTokenIsUnauthorized() {
        String project = TestProjects.create("browse-badtoken");
        Response answer = get("/api/v1/projects/" + project + "/repositories", "Bearer not.a.jwt");
        assertManagementError(answer, 401, "UNAUTHORIZED");
        assertTrue(answer.header("WWW-Authenticate").contains("error=\"invalid_token\""));
        assertManagementError(get("/api/v1/projects/" + project + "/repositories", "Basic dXNlcjpwYXNz"),
                401, "UNAUTHORIZED");
    }

    @Test
    void aNonAdminSeesOnlyTheRepositoriesItMayPull() {
        String project = TestProjects.create("browse-filter");
        for (String r : List.of("a", "b", "c")) {
            RegistryRows.blob(project + "/" + r, MediaTypes.OCI_CONFIG, "{}");
        }
        String token = bearer("repository:" + project + "/a:pull", "repository:" + project + "/c:push",
                "repository:" + project + "/b:*", "repository:other/a:pull");
        Response answer = get("/api/v1/projects/" + project + "/repositories", token);
        assertEquals(200, answer.statusCode(), answer::asString);
        assertEquals("2", answer.header("X-Total-Count"));
        assertEquals(List.of(project + "/a", project + "/b"), answer.jsonPath().getList("name"));

        assertEquals("3", get("/api/v1/projects/" + project + "/repositories", admin()).header("X-Total-Count"));
        // Nothing granted in this project: refused without looking the project up.
        assertManagementError(get("/api/v1/projects/" + project + "/repositories",
                bearer("repository:other/a:pull")), 403, "FORBIDDEN");
        assertManagementError(get("/api/v1/projects/no-such-project-x9/repositories",
                bearer("repository:other/a:pull")), 403, "FORBIDDEN");
    }

    @Test
    void artifactsNeedPullOnTheRepositoryOrTheAdminScope() {
        String repo = TestProjects.create("browse-artauth") + "/app";
        BrowseFixtures.image(repo, "artauth-" + repo, "v1");
        assertEquals(200, get(repoPath(repo) + "/artifacts", bearer("repository:" + repo + ":pull")).statusCode());
        assertManagementError(get(repoPath(repo) + "/artifacts", bearer("repository:" + repo + "-x:pull")),
                403, "FORBIDDEN");
        assertManagementError(get(repoPath(repo) + "/artifacts", bearer("repository:" + repo + ":push")),
                403, "FORBIDDEN");
    }

    @Test
    void aTokenWithoutDeleteCannotDelete() {
        String repo = TestProjects.create("browse-nodelete") + "/app";
        Pushed img = BrowseFixtures.image(repo, "nodel-" + repo, "v1");
        int events = RegistryRows.outbox(repo).size();
        String pullPush = bearer("repository:" + repo + ":pull,push", "registry:catalog:*");
        assertManagementError(delete(repoPath(repo) + "/artifacts/" + img.digest(), pullPush), 403, "FORBIDDEN");
        assertManagementError(delete(repoPath(repo) + "/artifacts/" + img.digest() + "/tags/v1", pullPush),
                403, "FORBIDDEN");
        assertManagementError(delete(repoPath(repo) + "/artifacts/" + img.digest(),
                bearer("repository:" + repo + "-other:delete")), 403, "FORBIDDEN");
        given().when().get("/v2/" + repo + "/manifests/v1").then().statusCode(200);
        assertEquals(events, RegistryRows.outbox(repo).size());
    }
}
