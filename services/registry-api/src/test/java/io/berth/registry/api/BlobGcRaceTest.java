package io.berth.registry.api;

import static io.berth.registry.support.BlobPushes.bytes;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.oci.Digest;
import io.berth.registry.support.BlobPushes;
import io.berth.registry.support.TestDatabase;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The two places where a push meets gc deleting a blob row (docs/adr/0027): gc is played by a
 * connection of the test that locks the row {@code FOR UPDATE}, waits until the push is blocked
 * on it, deletes it and commits, exactly as gc's sweep does. The push must then keep the blob
 * alive with its own bytes (an upload) or fall back to an upload session (a mount), never fail
 * on the foreign key or link a row that is gone.
 */
@QuarkusTest
class BlobGcRaceTest {

    private static final String URL = System.getenv()
            .getOrDefault("BERTH_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/berth_test");

    @Test
    void anUploadCommittedWhileGcDeletesItsDigestKeepsTheBlobWithItsOwnBytes() throws Exception {
        // Fresh bytes each run: the test database keeps earlier runs' links of a fixed content.
        byte[] content = bytes(3000, System.nanoTime());
        String repo = TestProjects.create("gc-race-up") + "/app";
        Digest digest = BlobPushes.push(repo, content);
        given().when().delete("/v2/" + repo + "/blobs/" + digest).then().statusCode(202);
        Object oldObject = TestDatabase.queryOne("SELECT object_id FROM blobs WHERE digest = ?", digest.toString());

        Response pushed;
        try (Connection gc = DriverManager.getConnection(URL, "berth", "berth")) {
            gc.setAutoCommit(false);
            lockForUpdate(gc, digest);
            CompletableFuture<Response> push = CompletableFuture.supplyAsync(() -> given()
                    .contentType("application/octet-stream").body(content).queryParam("digest", digest.toString())
                    .when().post("/v2/" + repo + "/blobs/uploads/"));
            awaitBlockedBehind(gc);
            deleteAndCommit(gc, digest, false);
            pushed = push.get(30, TimeUnit.SECONDS);
        }

        assertEquals(201, pushed.statusCode(), pushed::asString);
        Object newObject = TestDatabase.queryOne("SELECT object_id FROM blobs WHERE digest = ?", digest.toString());
        assertNotEquals(oldObject, newObject, "the upload's own object is the blob now");
        assertArrayEquals(content, given().get("/v2/" + repo + "/blobs/" + digest).asByteArray());
    }

    @Test
    void aMountWhileGcDeletesTheBlobBecomesAnUploadSession() throws Exception {
        byte[] content = bytes(3000, System.nanoTime());
        String source = TestProjects.create("gc-race-src") + "/base";
        String target = TestProjects.create("gc-race-dst") + "/app";
        Digest digest = BlobPushes.push(source, content);

        Response mounted;
        try (Connection gc = DriverManager.getConnection(URL, "berth", "berth")) {
            gc.setAutoCommit(false);
            lockForUpdate(gc, digest);
            CompletableFuture<Response> mount = CompletableFuture.supplyAsync(() -> given()
                    .queryParam("mount", digest.toString()).queryParam("from", source)
                    .when().post("/v2/" + target + "/blobs/uploads/"));
            awaitBlockedBehind(gc);
            deleteAndCommit(gc, digest, true);
            mounted = mount.get(30, TimeUnit.SECONDS);
        }

        assertEquals(202, mounted.statusCode(), mounted::asString);
        assertEquals(404, given().when().head("/v2/" + target + "/blobs/" + digest).statusCode());
        assertEquals(0, TestDatabase.queryLong("SELECT count(*) FROM repository_blobs WHERE digest = ?", digest.toString()));
    }

    @Test
    void aLinkMadePendingAgainStartsItsGraceWindowAnew() {
        var img = ManifestDeleteTest.pushed("gc-relink", "v1");
        given().when().delete("/v2/" + img.repo() + "/manifests/" + img.digest()).then().statusCode(202);
        String layer = (String) TestDatabase.queryOne("""
                SELECT rb.digest FROM repository_blobs rb JOIN repositories r ON r.id = rb.repository_id
                WHERE r.name = ? AND NOT rb.pending LIMIT 1""", img.repo());
        TestDatabase.update("UPDATE repository_blobs SET linked_at = now() - interval '1 day' WHERE digest = ?", layer);

        // Asked for anew (a mount within its project): gc must give it a whole grace window again.
        given().queryParam("mount", layer).when().post("/v2/" + img.repo() + "/blobs/uploads/").then().statusCode(201);

        assertEquals(Boolean.TRUE, TestDatabase.queryOne("""
                SELECT rb.pending AND rb.linked_at > now() - interval '1 minute' FROM repository_blobs rb
                JOIN repositories r ON r.id = rb.repository_id WHERE r.name = ? AND rb.digest = ?""", img.repo(), layer));
    }

    private static void lockForUpdate(Connection gc, Digest digest) throws SQLException {
        try (var ps = gc.prepareStatement("SELECT 1 FROM blobs WHERE digest = ? FOR UPDATE")) {
            ps.setString(1, digest.toString());
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the blob row is there to lock");
            }
        }
    }

    /** Waits until some other session waits for a lock that {@code gc}'s session holds. */
    private static void awaitBlockedBehind(Connection gc) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (Connection watch = DriverManager.getConnection(URL, "berth", "berth")) {
            int gcPid;
            try (var rs = gc.createStatement().executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                gcPid = rs.getInt(1);
            }
            while (System.nanoTime() < deadline) {
                try (var ps = watch.prepareStatement(
                        "SELECT count(*) FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))")) {
                    ps.setInt(1, gcPid);
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) > 0) {
                            return;
                        }
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the push never waited for gc's lock on the blob row");
    }

    private static void deleteAndCommit(Connection gc, Digest digest, boolean links) throws SQLException {
        if (links) {
            try (var ps = gc.prepareStatement("DELETE FROM repository_blobs WHERE digest = ?")) {
                ps.setString(1, digest.toString());
                ps.executeUpdate();
            }
        }
        try (var ps = gc.prepareStatement("DELETE FROM blobs WHERE digest = ?")) {
            ps.setString(1, digest.toString());
            assertEquals(1, ps.executeUpdate());
        }
        gc.commit();
    }
}
