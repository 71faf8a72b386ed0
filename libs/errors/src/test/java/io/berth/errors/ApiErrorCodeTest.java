package io.berth.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiErrorCodeTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            BAD_REQUEST            | 400
            UNAUTHORIZED           | 401
            FORBIDDEN              | 403
            NOT_FOUND              | 404
            METHOD_NOT_ALLOWED     | 405
            NOT_ACCEPTABLE         | 406
            CONFLICT               | 409
            PRECONDITION_FAILED    | 412
            PAYLOAD_TOO_LARGE      | 413
            UNSUPPORTED_MEDIA_TYPE | 415
            TOO_MANY_REQUESTS      | 429
            UNKNOWN                | 500
            UNAVAILABLE            | 503
            """)
    void eachCodeCarriesItsStatus(String code, int status) {
        ApiErrorCode c = ApiErrorCode.valueOf(code);
        assertEquals(status, c.status());
        assertEquals(code, c.code());
        assertEquals(c, ApiErrorCode.forStatus(status));
        assertEquals(Optional.of(c), ApiErrorCode.fromCode(code));
    }

    @Test
    void tableAboveCoversEveryCodeAndNoStatusHasTwo() {
        assertEquals(13, ApiErrorCode.values().length);
        assertEquals(13, Arrays.stream(ApiErrorCode.values()).map(ApiErrorCode::status).distinct().count());
    }

    @Test
    void aStatusWithoutACodeOfItsOwnGetsTheGenericOne() {
        assertEquals(ApiErrorCode.BAD_REQUEST, ApiErrorCode.forStatus(431));
        assertEquals(ApiErrorCode.UNKNOWN, ApiErrorCode.forStatus(502));
        assertEquals(Optional.empty(), ApiErrorCode.fromCode("TOOMANYREQUESTS"));
        assertEquals(Optional.empty(), ApiErrorCode.fromCode(null));
    }

    @Test
    void waitingCodesAlwaysCarryARetryAfter() {
        assertEquals(1, new ApiException(ApiErrorCode.UNAVAILABLE, "down").retryAfterSeconds());
        assertEquals(1, new ApiException(ApiErrorCode.TOO_MANY_REQUESTS, "slow down", 0).retryAfterSeconds());
        assertEquals(30, new ApiException(ApiErrorCode.TOO_MANY_REQUESTS, "slow down", 30).retryAfterSeconds());
        assertEquals(0, ApiException.notFound("gone").retryAfterSeconds());
    }
}
