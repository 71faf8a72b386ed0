package io.berth.scanner.pull;

import io.berth.scanner.inventory.Layer;
import java.util.List;

/**
 * An image manifest read from a registry, with its layers ready to be streamed from there.
 *
 * @param digest the manifest's digest, checked against its bytes
 * @param mediaType the manifest's media type (OCI or Docker schema 2)
 * @param os the image config's {@code os}, or null
 * @param architecture the image config's {@code architecture}, or null
 * @param layers the layers, base first; each {@link Layer#content()} opens a fresh blob GET
 */
public record PulledImage(String digest, String mediaType, String os, String architecture, List<Layer> layers) {

    public PulledImage {
        layers = List.copyOf(layers);
    }
}
