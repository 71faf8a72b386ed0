package io.berth.replicator.endpoints;

import java.time.OffsetDateTime;

/**
 * A row of {@code replication_endpoints} (V23). {@code sealedPassword} is the password sealed by
 * {@link Endpoints} (null without credentials); it never leaves the service.
 */
public record Endpoint(long id, String name, EndpointType type, String url, boolean insecure, String username,
        byte[] sealedPassword, String description, String createdBy, OffsetDateTime createdAt, String updatedBy,
        OffsetDateTime updatedAt) {

    public boolean hasCredentials() {
        return username != null;
    }

    @Override
    public String toString() {
        return "Endpoint[" + id + " " + name + " " + type.wire() + " " + url + "]";
    }
}
