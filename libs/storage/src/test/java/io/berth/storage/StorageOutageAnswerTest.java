package io.berth.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.errors.Outages;
import io.berth.errors.WireError;
import io.berth.errors.WireErrors;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** An object store that cannot be reached is an outage in the one error vocabulary: 503, never 500. */
class StorageOutageAnswerTest {

    @Test
    void anUnreachableStoreIsAnsweredUnavailableWithRetryAfterOnBothSurfaces() {
        var down = new StorageUnavailableException("S3 endpoint refused the connection", new ConnectException("refused"));
        assertTrue(Outages.isOutage(down));

        WireError registry = WireErrors.of(new CompletionException(down), "GET", "/v2/p/r/blobs/sha256:ab", null);
        assertEquals(503, registry.status());
        assertEquals(String.valueOf(Outages.RETRY_AFTER_SECONDS), registry.headers().get("Retry-After"));
        assertTrue(registry.json().contains("\"UNAVAILABLE\""), registry.json());
        assertTrue(registry.json().contains("traceId"), registry.json());

        WireError api = WireErrors.of(down, "POST", "/api/v1/system/gc", null);
        assertEquals(503, api.status());
        assertEquals(String.valueOf(Outages.RETRY_AFTER_SECONDS), api.headers().get("Retry-After"));
    }

    @Test
    void aMissingObjectIsNotAnOutage() {
        assertTrue(!Outages.isOutage(new BlobNotFoundException("blobs/ab", "no such object")));
    }
}
