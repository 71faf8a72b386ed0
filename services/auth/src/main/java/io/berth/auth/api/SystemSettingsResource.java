package io.berth.auth.api;

import io.berth.auth.metadata.SystemSettingsRepository.SystemSettings;
import io.berth.auth.service.SystemSettingsService;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import io.berth.security.policy.AllowlistEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/system/settings}: registry-wide settings, read-only mode (docs/adr/0022) and the
 * system vulnerability allowlist of the pull gate (docs/security.md). {@code GET} for anyone
 * signed in, {@code PUT {"readOnly": true|false, "vulnerabilityAllowlist": [...]}} (either or
 * both; what is left out stays) for system administrators. The answer is always
 * {@code {"readOnly", "vulnerabilityAllowlist", "updatedAt", "updatedBy"}}.
 */
@Path("/api/v1/system/settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SystemSettingsResource {

    /**
     * {@code {"readOnly": true}}, {@code {"vulnerabilityAllowlist": ["CVE-2024-3094",
     * {"id": "CVE-2023-44487", "expiresAt": "2026-06-30"}]}}, or both.
     */
    public record SettingsBody(Boolean readOnly, List<AllowlistEntry> vulnerabilityAllowlist) {}

    private final ApiCallers callers;
    private final SystemSettingsService settings;

    public SystemSettingsResource(ApiCallers callers, SystemSettingsService settings) {
        this.callers = callers;
        this.settings = settings;
    }

    @GET
    public Map<String, Object> get(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth) {
        return view(settings.get(callers.of(auth)));
    }

    @PUT
    public Map<String, Object> update(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, SettingsBody body) {
        var caller = callers.of(auth);
        if (body == null || (body.readOnly() == null && body.vulnerabilityAllowlist() == null)) {
            throw new ApiException(ApiErrorCode.BAD_REQUEST,
                    "give {\"readOnly\": true|false}, {\"vulnerabilityAllowlist\": [...]} or both");
        }
        return view(settings.update(caller, body.readOnly(), body.vulnerabilityAllowlist()));
    }

    private static Map<String, Object> view(SystemSettings s) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("readOnly", s.readOnly());
        view.put("vulnerabilityAllowlist", s.vulnerabilityAllowlist());
        view.put("updatedAt", s.updatedAt().toString());
        view.put("updatedBy", s.updatedBy());
        return view;
    }
}
