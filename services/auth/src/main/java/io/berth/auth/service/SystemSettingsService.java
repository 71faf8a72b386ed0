package io.berth.auth.service;

import io.berth.auth.events.AuditOutbox;
import io.berth.auth.metadata.SystemSettingsRepository;
import io.berth.auth.metadata.SystemSettingsRepository.SystemSettings;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.events.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import io.berth.security.policy.AllowlistEntry;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The registry-wide settings (read-only mode, docs/adr/0022; the system vulnerability allowlist,
 * docs/security.md "The pull gate"): any signed-in caller may read them, only system
 * administrators change them, and each change is written with its audit event
 * ({@code system_settings.updated}) in one transaction, like every other management change.
 */
@ApplicationScoped
public class SystemSettingsService {

    /** The Kafka key of the settings' audit events. */
    static final String SUBJECT = "system";

    private final SystemSettingsRepository settings;
    private final AuditOutbox audit;

    public SystemSettingsService(SystemSettingsRepository settings, AuditOutbox audit) {
        this.settings = settings;
        this.audit = audit;
    }

    public SystemSettings get(Caller caller) {
        return settings.get();
    }

    /**
     * Changes the settings that are given (null leaves one as it is): read-only mode, which every
     * registry-api replica sees within about two seconds, and the system vulnerability allowlist,
     * which the pull gate of every project applies within about as long.
     *
     * @throws ApiException FORBIDDEN unless the caller is a system administrator; BAD_REQUEST
     *     naming every problem of the allowlist
     */
    @Transactional
    public SystemSettings update(Caller caller, Boolean readOnly, List<AllowlistEntry> allowlist) {
        if (!caller.admin()) {
            throw new ApiException(ApiErrorCode.FORBIDDEN, "changing the system settings takes a system administrator");
        }
        if (allowlist != null) {
            List<String> problems = AllowlistEntry.problems(allowlist, "the system allowlist");
            if (!problems.isEmpty()) {
                throw new ApiException(ApiErrorCode.BAD_REQUEST, String.join("; ", problems));
            }
        }
        settings.update(readOnly, allowlist, caller.subject());
        Map<String, Object> event = new LinkedHashMap<>();
        if (readOnly != null) {
            event.put("readOnly", readOnly);
        }
        if (allowlist != null) {
            event.put("vulnerabilityAllowlist", allowlist);
        }
        event.put("actor", caller.subject());
        audit.write(EventType.SYSTEM_SETTINGS_UPDATED, SUBJECT, event);
        return settings.get();
    }
}
