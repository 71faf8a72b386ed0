package io.berth.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@link BlobStoreContract} for the heap: the store other modules' unit tests may use. */
class InMemoryBlobStoreTest extends BlobStoreContract {

    private InMemoryBlobStore memory;

    @Override
    protected BlobStore newStore() {
        memory = new InMemoryBlobStore();
        return memory;
    }

    /** Nothing outlives an instance: "another replica" is the same one. */
    @Override
    protected BlobStore reopen() {
        return memory;
    }

    @Test
    void hasNoUrls() {
        assertTrue(memory.redirect(ObjectId.random(), Duration.ofMinutes(1)).isEmpty());
    }

    @Test
    void abortingUnderAnotherObjectIdLeavesTheUploadAlone() {
        ObjectId id = ObjectId.random();
        String upload = memory.beginMultipart(id);
        memory.abortMultipart(ObjectId.random(), upload);
        assertTrue(memory.hasUpload(upload));
        memory.abortMultipart(id, upload);
        assertFalse(memory.hasUpload(upload));
    }
}
