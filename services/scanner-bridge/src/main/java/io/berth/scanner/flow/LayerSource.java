package io.berth.scanner.flow;

import io.berth.scanner.inventory.Layer;
import io.berth.storage.BlobNotFoundException;
import io.berth.storage.BlobStore;
import io.berth.storage.ObjectId;
import io.berth.storage.StorageUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

/**
 * Opens the layers of one scan from the {@link BlobStore} as streams (nothing is copied to disk
 * or held whole), and remembers why the store failed, if it did: the inventory turns every
 * broken stream into an {@link io.berth.scanner.inventory.InventoryException}, and the scan
 * must still tell "the store failed" (worth another attempt) from "the layer is bad" (not).
 * Every read also checks the scan's deadline, so a layer that takes too long (gigabytes of
 * zeros) ends the scan instead of a worker.
 */
final class LayerSource {

    private final BlobStore store;
    private final Instant deadline;
    private volatile String storeFailure;
    private volatile boolean missing;
    private volatile boolean timedOut;

    LayerSource(BlobStore store, Instant deadline) {
        this.store = store;
        this.deadline = deadline;
    }

    /** The layer {@code digest} stored as object {@code objectId} of {@code size} bytes. */
    Layer layer(String digest, String mediaType, ObjectId objectId, long size) {
        return new Layer(digest, mediaType, () -> open(digest, objectId, size));
    }

    private InputStream open(String digest, ObjectId objectId, long size) throws IOException {
        checkDeadline();
        if (size == 0) {
            return new ByteArrayInputStream(new byte[0]); // the store refuses a range of an empty blob
        }
        try {
            return new Guarded(store.open(objectId, 0, -1));
        } catch (BlobNotFoundException e) {
            missing = true;
            storeFailure = "blob " + digest + " (object " + objectId + ") is missing from the object store";
            throw new IOException(storeFailure, e);
        } catch (StorageUnavailableException e) {
            storeFailure = "the object store failed reading blob " + digest + ": " + e.getMessage();
            throw new IOException(storeFailure, e);
        }
    }

    private void checkDeadline() throws IOException {
        if (Instant.now().isAfter(deadline)) {
            timedOut = true;
            throw new IOException("the scan ran past its time limit (berth.scanner.scan-timeout)");
        }
    }

    /** Why the store failed during this scan, or null if it never did. */
    String storeFailure() {
        return storeFailure;
    }

    /** Whether a blob was missing from the store. */
    boolean missing() {
        return missing;
    }

    /** Whether the scan ran past its deadline. */
    boolean timedOut() {
        return timedOut;
    }

    /** The store's stream: its read errors are the store's, and every read checks the deadline. */
    private final class Guarded extends FilterInputStream {
        private int reads;

        Guarded(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if ((++reads & 63) == 0) {
                checkDeadline();
            }
            try {
                return in.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                storeFailure = "the object store's stream broke: " + e.getMessage();
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            checkDeadline();
            try {
                return in.skip(n);
            } catch (IOException | RuntimeException e) {
                storeFailure = "the object store's stream broke: " + e.getMessage();
                throw e;
            }
        }
    }
}
