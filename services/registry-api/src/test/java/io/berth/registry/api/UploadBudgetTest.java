package io.berth.registry.api;

import static io.berth.registry.support.RegistryErrors.assertError;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.oci.Digest;
import io.berth.oci.RegistryErrorCode;
import io.berth.registry.service.UploadBudget;
import io.berth.registry.support.BlobPushes;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * berth.registry.uploads.memory-budget: while one streamed PATCH holds the whole budget, another
 * upload waits for the budget-wait and is then told 429 TOOMANYREQUESTS with Retry-After; once
 * the first request is gone, the same upload goes through.
 */
@QuarkusTest
@TestProfile(UploadBudgetTest.OneStreamOnly.class)
class UploadBudgetTest {

    /** Exactly one streamed request's worth: two 8 MiB parts and the 4 MiB request queue. */
    public static class OneStreamOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "berth.registry.uploads.memory-budget", String.valueOf(2 * 8 * 1024 * 1024 + 4 * 1024 * 1024),
                    "berth.registry.uploads.budget-wait", "PT1S");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    UploadBudget budget;

    @Test
    void aStreamHoldingTheBudgetMakesTheNextUploadWaitThenRetry() throws Exception {
        String name = TestProjects.create("budget") + "/app";
        String streaming = BlobPushes.start(name);
        byte[] small = BlobPushes.bytes(1000, 3);
        String other = BlobPushes.start(name);

        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            // A PATCH of unannounced length (so it goes through parts) that sends 1 MiB.
            OutputStream out = socket.getOutputStream();
            out.write(BlobPushes.rawChunkedPatchHead(streaming));
            out.write(BlobPushes.rawChunk(new byte[1024 * 1024], 0, 1024 * 1024));
            out.flush();
            for (int i = 0; i < 50 && budget.available() > 0; i++) {
                Thread.sleep(100);
            }
            if (budget.available() > 0) {
                throw new AssertionError("the streamed PATCH never reserved the budget: " + budget.available() + " free");
            }

            assertError(given().contentType("application/octet-stream").header("Content-Range", "0-999")
                    .body(small).when().patch(other).then(), RegistryErrorCode.TOOMANYREQUESTS)
                    .header("Retry-After", "1");
            // Refused before any byte was taken: the session is where it was.
            given().when().get(other).then().statusCode(204).header("Range", "0-0");
        }

        // The hung-up stream gives its reservation back; the retry goes through.
        for (int i = 0; i < 50 && budget.available() == 0; i++) {
            Thread.sleep(100);
        }
        given().contentType("application/octet-stream").header("Content-Range", "0-999")
                .body(small).when().patch(other).then().statusCode(202);
        given().queryParam("digest", Digest.sha256(small).toString()).when().put(other).then().statusCode(201);
    }

    @Test
    void aWholeBodyOnItsWayToTheStoreHoldsOnlyItsWriteQueue() throws Exception {
        String name = TestProjects.create("budget-whole") + "/app";
        String streaming = BlobPushes.start(name);
        long free = budget.available();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            // Announces 64 MiB (more than a part, so one PUT to the store) and sends 1 MiB.
            OutputStream out = socket.getOutputStream();
            out.write(BlobPushes.rawPatchHead(streaming, 64 * 1024 * 1024));
            out.write(new byte[1024 * 1024]);
            out.flush();
            for (int i = 0; i < 50 && budget.available() == free; i++) {
                Thread.sleep(100);
            }
            assertEquals(free - UploadBudget.WHOLE_BODY_BYTES, budget.available());
        }
        // Within 20 s, far below the 60 s body idle timeout that would also free it; on a loaded
        // 2-core CI machine 5 s was once not enough.
        for (int i = 0; i < 200 && budget.available() != free; i++) {
            Thread.sleep(100);
        }
        assertEquals(free, budget.available(), "the hung-up body did not give its reservation back");
    }
}
