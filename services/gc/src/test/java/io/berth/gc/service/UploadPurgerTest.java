package io.berth.gc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.berth.gc.support.RegistryFixture;
import io.berth.gc.support.TestAuth;
import io.berth.storage.BlobNotFoundException;
import io.berth.storage.BlobStore;
import io.berth.storage.CompletedPart;
import io.berth.storage.ObjectId;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Upload purging against the real PostgreSQL and S3 endpoint: idle sessions go with their bytes. */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class UploadPurgerTest {

    @Inject
    UploadPurger purger;

    @Inject
    DataSource db;

    @Inject
    BlobStore store;

    @Test
    void idleSessionsAreAbortedWithTheirBytesAndBusyOnesStay() {
        RegistryFixture registry = new RegistryFixture(db, store);
        long repo = registry.repository(registry.project("purge"), "app");
        // Clear out idle sessions of earlier tests, so the counts below are this test's.
        purger.purge(Duration.ofDays(7), false);

        UUID idle = session(repo, "8 days");
        ObjectId idleObject = objectOf(idle);
        String multipart = store.beginMultipart(idleObject);
        CompletedPart part = store.writePart(idleObject, multipart, 1, new byte[5 * 1024 * 1024], 5 * 1024 * 1024);
        registry.update("UPDATE uploads SET s3_upload_id = ?, received_bytes = ? WHERE id = ?", multipart,
                5L * 1024 * 1024 + 10, idle);
        store.putTail(idle, new byte[10], 0, 10);
        UUID idleWithObject = session(repo, "30 days");
        store.put(objectOf(idleWithObject), new byte[100], 100);
        UUID busy = session(repo, "1 hour");
        store.putTail(busy, new byte[7], 0, 7);

        UploadPurger.Outcome dry = purger.purge(Duration.ofDays(7), true);
        assertEquals(2, dry.sessions(), "a dry run counts the two idle sessions");
        assertEquals(3, registry.number("SELECT count(*) FROM uploads WHERE id IN (?, ?, ?)", idle, idleWithObject, busy),
                "and deletes nothing");

        UploadPurger.Outcome done = purger.purge(Duration.ofDays(7), false);

        assertEquals(2, done.sessions());
        assertEquals(0, done.failures());
        assertEquals(1, registry.number("SELECT count(*) FROM uploads WHERE id IN (?, ?, ?)", idle, idleWithObject, busy));
        assertEquals(1, registry.number("SELECT count(*) FROM uploads WHERE id = ?", busy), "a session in use stays");
        assertThrows(BlobNotFoundException.class, () -> store.openTail(idle).close(), "the tail is gone");
        assertFalse(registry.stored(objectOf(idleWithObject).value()), "the object it wrote is gone");
        assertThrows(RuntimeException.class, () -> store.completeMultipart(idleObject, multipart, List.of(part)),
                "the multipart upload was aborted: its part cannot be completed");
        assertFalse(registry.stored(idleObject.value()));
        store.deleteTail(busy);
        registry.update("DELETE FROM uploads WHERE id = ?", busy);
    }

    /** The object id each session of this test was given. */
    private final Map<UUID, UUID> objects = new HashMap<>();

    private ObjectId objectOf(UUID session) {
        return new ObjectId(objects.get(session));
    }

    private UUID session(long repo, String age) {
        UUID id = UUID.randomUUID();
        UUID object = UUID.randomUUID();
        objects.put(id, object);
        new RegistryFixture(db, store).update("INSERT INTO uploads (id, repository_id, object_id, started_at, updated_at)"
                + " VALUES (?, ?, ?, now() - interval '" + age + "', now() - interval '" + age + "')", id, repo, object);
        return id;
    }
}
