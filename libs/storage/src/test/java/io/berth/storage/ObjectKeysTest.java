package io.berth.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The key layout and object ids; plain unit tests, no object store. */
class ObjectKeysTest {

    private static final String UUID_TEXT = "0b6c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3";

    @Test
    void blobKeyIsBlobsSlashObjectId() {
        assertEquals("blobs/" + UUID_TEXT, ObjectKeys.blob(ObjectId.parse(UUID_TEXT)));
    }

    @Test
    void tailKeyIsUploadsSlashUuidSlashTail() {
        assertEquals("uploads/" + UUID_TEXT + "/tail", ObjectKeys.tail(UUID.fromString(UUID_TEXT)));
    }

    @Test
    void objectIdRoundTripsThroughItsText() {
        ObjectId id = ObjectId.random();
        assertEquals(id, ObjectId.parse(id.toString()));
        assertEquals(id.value().toString(), id.toString());
        assertNotEquals(id, ObjectId.random());
        assertEquals(ObjectId.parse(UUID_TEXT), ObjectId.parse(UUID_TEXT.toUpperCase()));
    }

    @Test
    void objectIdRejectsAnythingButACanonicalUuid() {
        assertThrows(IllegalArgumentException.class, () -> ObjectId.parse("not-a-uuid"));
        assertThrows(IllegalArgumentException.class, () -> ObjectId.parse("1-2-3-4-5"));
        assertThrows(IllegalArgumentException.class, () -> ObjectId.parse(""));
        assertThrows(NullPointerException.class, () -> ObjectId.parse(null));
        assertThrows(NullPointerException.class, () -> new ObjectId(null));
    }
}
