package io.berth.auth.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.auth.metadata.AuditLogRepository;
import io.berth.auth.metadata.MemberRepository;
import io.berth.auth.service.Caller;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.security.ProjectRole;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/audit-logs}: the audit log, newest first, filtered by {@code project},
 * {@code user}, {@code type} and a time range ({@code from}, {@code to}, ISO-8601), a page at a
 * time ({@code page} from 1, {@code page_size} up to 100). The total is in {@code X-Total-Count},
 * as Harbor's API gives it. System administrators see every entry; anyone else sees the entries
 * of the projects they are projectAdmin of, and nothing else.
 */
@Path("/api/v1/audit-logs")
@Produces(MediaType.APPLICATION_JSON)
public class AuditLogResource {

    static final int MAX_PAGE_SIZE = 100;

    private final ApiCallers callers;
    private final AuditLogRepository log;
    private final MemberRepository members;
    private final ObjectMapper json;

    public AuditLogResource(ApiCallers callers, AuditLogRepository log, MemberRepository members, ObjectMapper json) {
        this.callers = callers;
        this.log = log;
        this.members = members;
        this.json = json;
    }

    @GET
    public Response list(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @QueryParam("project") String project,
            @QueryParam("user") String user, @QueryParam("type") String type, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("page") @DefaultValue("1") int page,
            @QueryParam("page_size") @DefaultValue("25") int pageSize) {
        Caller caller = callers.of(auth);
        if (page < 1 || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new ApiException(ApiErrorCode.BAD_REQUEST, "page counts from 1; page_size is 1 to " + MAX_PAGE_SIZE);
        }
        List<String> visible = null;
        if (!caller.admin()) {
            if (caller.isRobot()) {
                throw new ApiException(ApiErrorCode.FORBIDDEN, "robot accounts cannot read the audit log");
            }
            visible = members.projectsWhere(caller.subject(), caller.groups(), ProjectRole.PROJECT_ADMIN);
            if (project != null && !visible.contains(project)) {
                throw new ApiException(ApiErrorCode.FORBIDDEN,
                        "the audit log of project " + project + " takes its projectAdmin role");
            }
        }
        var result = log.list(new AuditLogRepository.Query(project, user, type, instant("from", from), instant("to", to),
                visible), page, pageSize);
        List<Map<String, Object>> body = result.entries().stream().map(this::view).toList();
        return Response.ok(body).header("X-Total-Count", result.total()).build();
    }

    private Map<String, Object> view(AuditLogRepository.Entry e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", e.eventId().toString());
        v.put("type", e.type());
        v.put("time", e.occurredAt().toString());
        v.put("project", e.project());
        v.put("user", e.actor());
        v.put("clientIp", e.clientIp());
        v.put("subject", e.subject());
        try {
            JsonNode data = json.readTree(e.data());
            v.put("data", data);
        } catch (IOException ex) {
            v.put("data", null);
        }
        return v;
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiException(ApiErrorCode.BAD_REQUEST, name + " is an ISO-8601 time, e.g. 2026-11-29T12:00:00Z");
        }
    }
}
