package io.berth.scanner.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * One layer of an image, in the order the manifest lists it.
 *
 * @param digest the layer's digest ({@code sha256:...}), recorded on every package found in it
 * @param mediaType its media type from the manifest; only a hint, the stream's magic bytes decide
 * @param content opens the layer's (compressed) bytes; called once per inventory
 */
public record Layer(String digest, String mediaType, Opener content) {

    public Layer {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(content, "content");
    }

    /** Opens a layer's bytes, typically a ranged GET on the object store. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }
}
