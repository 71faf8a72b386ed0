package io.berth.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RegistryException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireErrorsTest {

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void aTooManyRequestsIsSpelledBySurface() {
        assertEquals("TOOMANYREQUESTS", Surface.REGISTRY.codeFor(429));
        assertEquals("TOO_MANY_REQUESTS", Surface.API.codeFor(429));
        assertEquals(Surface.REGISTRY, Surface.of("/v2/"));
        assertEquals(Surface.REGISTRY, Surface.of("/v2"));
        assertEquals(Surface.API, Surface.of("/v2x"));
        assertEquals(Surface.API, Surface.of("/api/v1/projects"));
        assertEquals(Surface.API, Surface.of("/service/token"));
    }

    @Test
    void apiBodiesHaveCodeAndMessageOnlyForClientErrors() {
        WireError e = WireErrors.of(ApiException.notFound("project x not found"), "GET", "/api/v1/projects/x", null);
        assertEquals(404, e.status());
        assertEquals("{\"errors\":[{\"code\":\"NOT_FOUND\",\"message\":\"project x not found\"}]}", e.json());
        assertTrue(e.headers().isEmpty());
    }

    @Test
    void ociBodiesKeepDetail() {
        WireError e = WireErrors.of(RegistryException.of(RegistryErrorCode.BLOB_UNKNOWN, Map.of("digest", "sha256:abc")),
                "HEAD", "/v2/a/blobs/sha256:abc", null);
        assertEquals(404, e.status());
        assertEquals("{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\","
                + "\"detail\":{\"digest\":\"sha256:abc\"}}]}", e.json());
        WireError limited = WireErrors.of(RegistryException.of(RegistryErrorCode.TOOMANYREQUESTS), "PUT", "/v2/a/blobs/uploads/x", null);
        assertEquals("1", limited.headers().get("Retry-After"));
    }

    @Test
    void aDatabaseOutageIs503WithRetryAfterOnBothSurfaces() {
        var outage = new IllegalStateException("could not list projects", new SQLException("refused", "08001"));
        WireError api = WireErrors.of(outage, "GET", "/api/v1/projects", TRACEPARENT);
        assertEquals(503, api.status());
        assertEquals(String.valueOf(Outages.RETRY_AFTER_SECONDS), api.headers().get("Retry-After"));
        assertTrue(api.json().contains("\"code\":\"UNAVAILABLE\""), api.json());
        assertTrue(api.json().contains("\"traceId\":\"0af7651916cd43dd8448eb211c80319c\""), api.json());
        assertFalse(api.json().contains("refused"), "no internals: " + api.json());

        WireError oci = WireErrors.of(outage, "GET", "/v2/a/manifests/latest", TRACEPARENT);
        assertEquals(503, oci.status());
        assertTrue(oci.json().contains("\"detail\":{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\"}"), oci.json());
    }

    @Test
    void anUnexpectedFailureIs500WithTheTraceIdAndNoInternals() {
        WireError e = WireErrors.of(new IllegalStateException("secret internal detail"), "GET", "/api/v1/x", null);
        assertEquals(500, e.status());
        assertTrue(e.json().matches(".*\"code\":\"UNKNOWN\".*\"traceId\":\"[0-9a-f]{32}\".*"), e.json());
        assertFalse(e.json().contains("secret"));
    }

    @Test
    void jaxRsRefusalsKeepTheirStatusAndAllow() {
        WireError notFound = WireErrors.of(new NotFoundException(), "GET", "/api/v1/nope", null);
        assertEquals(404, notFound.status());
        assertTrue(notFound.json().contains("\"NOT_FOUND\""));
        WireError method = WireErrors.of(new NotAllowedException("GET", new String[] {"POST"}), "PATCH", "/v2/a/tags/list", null);
        assertEquals(405, method.status());
        assertTrue(method.json().contains("\"UNSUPPORTED\""), method.json());
        assertTrue(method.headers().get("Allow").contains("GET"));
    }
}
