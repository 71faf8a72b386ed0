package io.berth.registry.metadata;

import java.util.List;

/**
 * One page of a listing and the number of entries in all pages together.
 *
 * @param total every entry the listing has, for {@code X-Total-Count}
 * @param items this page's entries, in the listing's order
 */
public record Page<T>(long total, List<T> items) {

    public Page {
        items = List.copyOf(items);
    }
}
