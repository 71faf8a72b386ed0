package io.berth.errors;

import io.berth.oci.RegistryErrorCode;
import java.util.List;

/**
 * The distribution-spec error body, {@code {"errors":[{"code","message","detail"}]}}: how every
 * {@code /v2} failure is written. {@code detail} is any JSON value or null; server errors carry
 * {@code {"traceId":"..."}} there.
 */
public record OciErrorBody(List<Error> errors) {

    /** One error; {@code detail} is any JSON value, or null. */
    public record Error(String code, String message, Object detail) {}

    /** One error with the code's own message. */
    public static OciErrorBody of(RegistryErrorCode code, Object detail) {
        return of(code, code.message(), detail);
    }

    /** One error whose message names the case (a refused push), not just the code's generic text. */
    public static OciErrorBody of(RegistryErrorCode code, String message, Object detail) {
        return new OciErrorBody(List.of(new Error(code.code(), message, detail)));
    }
}
