package io.berth.auth.service;

import io.berth.auth.events.AuditOutbox;
import io.berth.auth.metadata.SystemSettingsRepository;
import io.berth.auth.metadata.SystemSettingsRepository.SystemSettings;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.events.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The registry-wide settings (docs/adr/0022): any signed-in caller may read them, only system
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
     * Turns read-only mode on or off. Every registry-api replica sees it within about two seconds.
     *
     * @throws ApiException FORBIDDEN unless the caller is a system administrator
     */
    @Transactional
    public SystemSettings setReadOnly(Caller caller, boolean readOnly) {
        if (!caller.admin()) {
            throw new ApiException(ApiErrorCode.FORBIDDEN, "changing the system settings takes a system administrator");
        }
        settings.setReadOnly(readOnly, caller.subject());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("readOnly", readOnly);
        event.put("actor", caller.subject());
        audit.write(EventType.SYSTEM_SETTINGS_UPDATED, SUBJECT, event);
        return settings.get();
    }
}
