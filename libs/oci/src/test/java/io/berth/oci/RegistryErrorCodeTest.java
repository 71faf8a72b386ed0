package io.berth.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryErrorCodeTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            BLOB_UNKNOWN          | 404 | blob unknown to registry
            BLOB_UPLOAD_INVALID   | 400 | blob upload invalid
            BLOB_UPLOAD_UNKNOWN   | 404 | blob upload unknown to registry
            DIGEST_INVALID        | 400 | provided digest did not match uploaded content
            MANIFEST_BLOB_UNKNOWN | 400 | manifest references a manifest or blob unknown to registry
            MANIFEST_INVALID      | 400 | manifest invalid
            MANIFEST_UNKNOWN      | 404 | manifest unknown to registry
            NAME_INVALID          | 400 | invalid repository name
            NAME_UNKNOWN          | 404 | repository name not known to registry
            SIZE_INVALID          | 400 | provided length did not match content length
            UNAUTHORIZED          | 401 | authentication required
            DENIED                | 403 | requested access to the resource is denied
            UNSUPPORTED           | 415 | the operation is unsupported
            TOOMANYREQUESTS       | 429 | too many requests
            RANGE_INVALID         | 416 | invalid content range
            UNKNOWN               | 500 | unknown error
            UNAVAILABLE           | 503 | service unavailable
            """)
    void eachCodeCarriesItsStatusAndSpecMessage(String code, int status, String message) {
        RegistryErrorCode c = RegistryErrorCode.valueOf(code);
        assertEquals(status, c.status());
        assertEquals(message, c.message());
        assertEquals(code, c.code());
        assertEquals(status, RegistryException.of(c).status());
    }

    @Test
    void tableAboveCoversEveryCode() {
        assertEquals(17, RegistryErrorCode.values().length);
    }

    @Test
    void fromCodeFindsKnownCodesOnly() {
        assertEquals(Optional.of(RegistryErrorCode.BLOB_UNKNOWN), RegistryErrorCode.fromCode("BLOB_UNKNOWN"));
        assertEquals(Optional.empty(), RegistryErrorCode.fromCode("TAG_INVALID"));
        assertEquals(Optional.empty(), RegistryErrorCode.fromCode("blob_unknown"));
        assertEquals(Optional.empty(), RegistryErrorCode.fromCode(null));
    }

    @Test
    void exceptionCarriesCodeDetailAndMessage() {
        RegistryException e = RegistryException.of(RegistryErrorCode.BLOB_UNKNOWN, "sha256:abc");
        assertSame(RegistryErrorCode.BLOB_UNKNOWN, e.code());
        assertEquals("sha256:abc", e.detail());
        assertEquals(404, e.status());
        assertEquals("BLOB_UNKNOWN: blob unknown to registry: sha256:abc", e.getMessage());

        RegistryException bare = RegistryException.of(RegistryErrorCode.DENIED);
        assertNull(bare.detail());
        assertEquals("DENIED: requested access to the resource is denied", bare.getMessage());
    }

    @Test
    void clientErrorsSkipStackTracesServerErrorsAndCausesKeepThem() {
        assertEquals(0, RegistryException.of(RegistryErrorCode.BLOB_UNKNOWN).getStackTrace().length);
        assertTrue(RegistryException.of(RegistryErrorCode.UNKNOWN).getStackTrace().length > 0);
        IOException cause = new IOException("disk");
        RegistryException wrapped = new RegistryException(RegistryErrorCode.BLOB_UPLOAD_INVALID, null, cause);
        assertSame(cause, wrapped.getCause());
        assertTrue(wrapped.getStackTrace().length > 0);
    }

    @Test
    void nullCodeIsRejected() {
        assertThrows(NullPointerException.class, () -> RegistryException.of(null, "x"));
    }
}
