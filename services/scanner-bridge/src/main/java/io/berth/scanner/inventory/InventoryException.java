package io.berth.scanner.inventory;

/**
 * A layer could not be read as a whole: it is not a tar, its compression is broken or
 * truncated, or it holds more than the inventory is willing to keep. The message names the
 * layer and says what was wrong; it is meant for a failed scan's report, not a stack trace.
 * A single unreadable file inside a good layer is not an InventoryException: it becomes a
 * warning of the {@link Inventory} and the scan goes on.
 */
public class InventoryException extends Exception {

    private final String layer;

    public InventoryException(String layer, String message, Throwable cause) {
        super("layer " + layer + ": " + message, cause);
        this.layer = layer;
    }

    /** The digest of the layer that failed. */
    public String layer() {
        return layer;
    }
}
