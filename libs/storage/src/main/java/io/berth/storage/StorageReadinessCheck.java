package io.berth.storage;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** A service that stores bytes is ready only while its bucket answers. */
@Readiness
@ApplicationScoped
public class StorageReadinessCheck implements HealthCheck {

    private final BlobStore store;

    public StorageReadinessCheck(BlobStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("object-store").withData("bucket", store.bucket());
        try {
            store.checkAvailable();
            return response.up().build();
        } catch (StorageUnavailableException e) {
            return response.down().withData("error", e.getMessage()).build();
        }
    }
}
