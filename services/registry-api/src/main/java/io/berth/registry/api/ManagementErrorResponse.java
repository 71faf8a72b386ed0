package io.berth.registry.api;

import java.util.List;

/**
 * The management API's error body, Harbor's shape:
 * {@code {"errors":[{"code":"NOT_FOUND","message":"repository team/app not found"}]}}, where
 * {@code code} is one of {@link ManagementException.Code}.
 */
public record ManagementErrorResponse(List<Error> errors) {

    /** One error: a {@link ManagementException.Code} name and a message for people. */
    public record Error(String code, String message) {}

    public static ManagementErrorResponse of(ManagementException.Code code, String message) {
        return new ManagementErrorResponse(List.of(new Error(code.name(), message)));
    }
}
