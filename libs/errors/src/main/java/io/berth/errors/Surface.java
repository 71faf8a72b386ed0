package io.berth.errors;

import io.berth.oci.RegistryErrorCode;

/**
 * Which of berth's two error vocabularies a path answers in: {@code /v2} and everything under it
 * in the distribution-spec's ({@link RegistryErrorCode}, body
 * {@code {"errors":[{"code","message","detail"}]}}); every other path ({@code /api/v1},
 * {@code /service/token}, a path no service has) in the management API's ({@link ApiErrorCode},
 * body {@code {"errors":[{"code","message"}]}}). The same failure, a 429 say, is thus
 * {@code TOOMANYREQUESTS} on {@code /v2} and {@code TOO_MANY_REQUESTS} on {@code /api/v1},
 * whichever service or the gateway answers it.
 */
public enum Surface {
    /** {@code /v2}: the OCI distribution API. */
    REGISTRY,
    /** Everything else: the management API and berth's own endpoints. */
    API;

    /** The surface of a request path (as the client sent it, before any rewriting). */
    public static Surface of(String path) {
        return path != null && (path.equals("/v2") || path.startsWith("/v2/")) ? REGISTRY : API;
    }

    /**
     * The OCI code for an answer with {@code status} that no code was picked for (JAX-RS's own
     * 404 and 405, a body over a limit): the spec has no generic codes, so a request the registry
     * has no operation for (no such endpoint, a method it does not take, an unparsable parameter)
     * is UNSUPPORTED, as distribution answers an unsupported method. The status is kept.
     */
    public static RegistryErrorCode ociCodeFor(int status) {
        return switch (status) {
            case 401 -> RegistryErrorCode.UNAUTHORIZED;
            case 403 -> RegistryErrorCode.DENIED;
            case 413 -> RegistryErrorCode.SIZE_INVALID;
            case 416 -> RegistryErrorCode.RANGE_INVALID;
            case 429 -> RegistryErrorCode.TOOMANYREQUESTS;
            case 502, 503, 504 -> RegistryErrorCode.UNAVAILABLE;
            default -> status >= 500 ? RegistryErrorCode.UNKNOWN : RegistryErrorCode.UNSUPPORTED;
        };
    }

    /** The wire code this surface writes for an answer with {@code status} and no code of its own. */
    public String codeFor(int status) {
        return this == REGISTRY ? ociCodeFor(status).code() : ApiErrorCode.forStatus(status).code();
    }
}
