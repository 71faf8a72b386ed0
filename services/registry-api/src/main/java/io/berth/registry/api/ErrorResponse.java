package io.berth.registry.api;

import io.berth.oci.RegistryErrorCode;
import java.util.List;

/**
 * The distribution-spec error body: {@code {"errors":[{"code","message","detail"}]}}. The one
 * shape every registry-api failure is written in.
 */
public record ErrorResponse(List<Error> errors) {

    /** One error; {@code detail} is any JSON value, or null. */
    public record Error(String code, String message, Object detail) {}

    public static ErrorResponse of(RegistryErrorCode code, Object detail) {
        return of(code, code.message(), detail);
    }

    /** An error whose message names the case (a refused push), not just the code's generic text. */
    public static ErrorResponse of(RegistryErrorCode code, String message, Object detail) {
        return new ErrorResponse(List.of(new Error(code.code(), message, detail)));
    }
}
