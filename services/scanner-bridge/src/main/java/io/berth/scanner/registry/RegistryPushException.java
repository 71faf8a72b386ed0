package io.berth.scanner.registry;

/**
 * A push to the registry that did not happen: the message names the step (blob upload, manifest)
 * and the registry's status and error code. Every such failure leaves the SBOM pending, to be
 * tried again with backoff.
 */
public class RegistryPushException extends Exception {

    private static final long serialVersionUID = 1L;

    public RegistryPushException(String message) {
        super(message);
    }

    public RegistryPushException(String message, Throwable cause) {
        super(message, cause);
    }
}
