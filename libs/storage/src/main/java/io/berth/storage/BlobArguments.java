package io.berth.storage;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The argument checks of {@link BlobStore}'s methods, shared by every backend so that each
 * refuses the same arguments with the same {@link IllegalArgumentException} (or
 * {@link IndexOutOfBoundsException}) before it touches its store.
 */
final class BlobArguments {

    private BlobArguments() {
    }

    static void checkPartNumber(int partNumber) {
        if (partNumber < 1 || partNumber > BlobStore.MAX_PARTS) {
            throw new IllegalArgumentException("part number " + partNumber + " is not in 1.." + BlobStore.MAX_PARTS);
        }
    }

    /** {@link BlobStore#writePart}'s part: its number, and its first {@code length} bytes of {@code data}. */
    static void checkPart(int partNumber, byte[] data, int length) {
        Objects.requireNonNull(data, "data");
        checkPartNumber(partNumber);
        if (length < 0 || length > BlobStore.MAX_PART_SIZE || length > data.length) {
            throw new IllegalArgumentException("part length " + length + " is not in 0.."
                    + Math.min(BlobStore.MAX_PART_SIZE, data.length));
        }
    }

    /** {@link BlobStore#copyPart}'s part number and the copied blob's length. */
    static void checkCopy(int partNumber, long length) {
        checkPartNumber(partNumber);
        if (length < 0 || length > BlobStore.MAX_PUT_SIZE) {
            throw new IllegalArgumentException("a copied part holds 0.." + BlobStore.MAX_PUT_SIZE + " bytes, not " + length);
        }
    }

    /**
     * {@link BlobStore#completeMultipart}'s parts in ascending number: refused when there are
     * none or one number comes twice.
     */
    static List<CompletedPart> sortedParts(String key, List<CompletedPart> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a multipart upload of " + key + " needs at least one part");
        }
        List<CompletedPart> sorted = parts.stream().sorted(Comparator.comparingInt(CompletedPart::number)).toList();
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).number() == sorted.get(i - 1).number()) {
                throw new IllegalArgumentException("part " + sorted.get(i).number() + " of " + key + " is listed twice");
            }
        }
        return sorted;
    }

    /** {@link BlobStore#put(ObjectId, java.io.InputStream, long)}'s length. */
    static void checkBlobLength(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("blob length " + length + " is negative");
        }
    }

    /** {@link BlobStore#put(ObjectId, byte[], int)}'s bytes: within the array, at most a part. */
    static void checkInMemoryBlob(byte[] data, int length) {
        Objects.checkFromIndexSize(0, length, data.length);
        if (length > BlobStore.MAX_PART_SIZE) {
            throw new IllegalArgumentException("an in-memory blob holds at most " + BlobStore.MAX_PART_SIZE + " bytes, not " + length);
        }
    }

    /** {@link BlobStore#open}'s and {@link BlobStore#send}'s range, before the blob's size is known. */
    static void checkRange(long offset, long length) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset " + offset + " is negative");
        }
        if (length == 0 || length < -1) {
            throw new IllegalArgumentException("length " + length + " is neither positive nor -1");
        }
    }

    /** {@link BlobStore#list}'s page size. */
    static void checkPageLimit(int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("a page holds 1..1000 blobs, not " + limit);
        }
    }
}
