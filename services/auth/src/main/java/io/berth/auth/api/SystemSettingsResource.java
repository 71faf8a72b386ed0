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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/v1/system/settings}: registry-wide switches, today read-only mode (docs/adr/0022).
 * {@code GET} for anyone signed in, {@code PUT {"readOnly": true|false}} for system
 * administrators. The answer is always {@code {"readOnly", "updatedAt", "updatedBy"}}.
 */
@Path("/api/v1/system/settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SystemSettingsResource {

    /** {@code {"readOnly": true}}. */
    public record SettingsBody(Boolean readOnly) {}

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
        if (body == null || body.readOnly() == null) {
            throw new ApiException(ApiErrorCode.BAD_REQUEST, "give {\"readOnly\": true} or {\"readOnly\": false}");
        }
        return view(settings.setReadOnly(caller, body.readOnly()));
    }

    private static Map<String, Object> view(SystemSettings s) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("readOnly", s.readOnly());
        view.put("updatedAt", s.updatedAt().toString());
        view.put("updatedBy", s.updatedBy());
        return view;
    }
}
