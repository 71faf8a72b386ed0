package io.berth.registry.service;

import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RegistryException;

/**
 * A write refused by a project or system policy: DENIED for a quota or an immutable tag,
 * UNAVAILABLE while berth is read-only. Unlike other registry errors it carries a message for
 * people, which the error body's {@code message} shows in place of the code's generic one:
 * {@code docker push} prints exactly that line, so it must name the project, the rule or the
 * limit. {@code detail} keeps the same facts for programs.
 */
public class PolicyException extends RegistryException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public PolicyException(RegistryErrorCode code, String reason, Object detail) {
        super(code, detail);
        this.reason = reason;
    }

    /** The message for people, e.g. "project team would exceed its storage quota: ...". */
    public String reason() {
        return reason;
    }

    @Override
    public String getMessage() {
        return reason;
    }

    /** The error body's {@code message}: the reason, which names the project, rule or limit. */
    @Override
    public String clientMessage() {
        return reason;
    }
}
