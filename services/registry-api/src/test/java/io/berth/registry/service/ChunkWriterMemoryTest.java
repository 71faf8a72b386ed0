package io.berth.registry.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.registry.metadata.UploadSession;
import io.berth.storage.ObjectId;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A writer holds no more than its reservation. A body that ends exactly at the announced length
 * fills the hint-sized buffer; growing it to a whole part before seeing the end made every small
 * PUT hold 8 MiB, and a hundred concurrent pushes into one repository ran registry-api out of heap.
 * Only reading is exercised here (no part is flushed), so no store or database is needed.
 */
class ChunkWriterMemoryTest {

    private static final int PART = 8 * 1024 * 1024;

    private static ChunkWriter writer(long sizeHint) {
        var session = new UploadSession(UUID.randomUUID(), 1, ObjectId.random(), null, List.of(), 0, 0);
        return new ChunkWriter(null, null, PART, session, null, sizeHint);
    }

    @Test
    void aBodyOfTheAnnouncedLengthKeepsTheBufferAtThatLength() throws Exception {
        ChunkWriter writer = writer(1000);
        assertEquals(1000, writer.append(new ByteArrayInputStream(new byte[1000])));
        assertEquals(1000, writer.bufferCapacity());
    }

    @Test
    void aBodyLongerThanAnnouncedStillGetsEveryByte() throws Exception {
        ChunkWriter writer = writer(1000);
        assertEquals(1500, writer.append(new ByteArrayInputStream(new byte[1500])));
        assertEquals(PART, writer.bufferCapacity());
    }
}
