package io.berth.storage;

import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * The name of one stored blob object ({@code blobs/<object-id>}). It is random, not the digest:
 * PostgreSQL maps each digest to its object id, so a blob is written under a fresh id and only
 * becomes reachable once the database says so.
 *
 * @param value the UUID; never null
 */
public record ObjectId(UUID value) {

    /** @throws NullPointerException if {@code value} is null */
    public ObjectId {
        Objects.requireNonNull(value, "value");
    }

    /** A new random (version 4) id, for a blob about to be written. */
    public static ObjectId random() {
        return new ObjectId(UUID.randomUUID());
    }

    /**
     * Reads an id as {@link #toString()} wrote it (upper-case hex digits are accepted).
     *
     * @throws IllegalArgumentException if {@code text} is not a UUID in its canonical 8-4-4-4-12 form
     */
    public static ObjectId parse(String text) {
        Objects.requireNonNull(text, "text");
        String lower = text.toLowerCase(Locale.ROOT);
        UUID uuid;
        try {
            uuid = UUID.fromString(lower);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an object id: '" + text + "'", e);
        }
        // UUID.fromString also takes short forms such as "1-2-3-4-5"; those would name a different key
        // than the text they came from, so only the canonical spelling is an object id.
        if (!uuid.toString().equals(lower)) {
            throw new IllegalArgumentException("not an object id: '" + text + "'");
        }
        return new ObjectId(uuid);
    }

    /** The canonical lower-case UUID, as it appears in the object key. */
    @Override
    public String toString() {
        return value.toString();
    }
}
