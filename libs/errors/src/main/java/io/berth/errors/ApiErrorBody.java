package io.berth.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The management API's error body (Harbor's shape), {@code {"errors":[{"code","message"}]}}, on
 * every path outside {@code /v2}. A server error (5xx) adds {@code "traceId"}, the id its log
 * line carries, so an operator can find it; client errors never have one.
 */
public record ApiErrorBody(List<Error> errors) {

    /** One error: an {@link ApiErrorCode} name, a message for people, and for a 5xx the trace id. */
    public record Error(String code, String message, @JsonInclude(JsonInclude.Include.NON_NULL) String traceId) {}

    /** One error without a trace id. */
    public static ApiErrorBody of(ApiErrorCode code, String message) {
        return of(code.code(), message, null);
    }

    /** One error; {@code traceId} may be null. */
    public static ApiErrorBody of(String code, String message, String traceId) {
        return new ApiErrorBody(List.of(new Error(code, message, traceId)));
    }
}
