package io.berth.gc.api;

import io.berth.cron.CronSchedule;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.gc.config.GcConfig;
import io.berth.gc.metadata.GcRun;
import io.berth.gc.metadata.ReadOnly;
import io.berth.gc.metadata.RunRepository;
import io.berth.gc.metadata.ScheduleRepository;
import io.berth.gc.metadata.ScheduleRepository.Schedule;
import io.berth.gc.security.AdminFilter;
import io.berth.gc.service.GcRunner;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Garbage collection, for system administrators ({@link AdminFilter}): start a run (202 with its
 * id), read the history, one run and its log, stop a running run, and read or set the cron
 * schedule. Errors are in the {@code /api/v1} shape.
 */
@Path("/api/v1/system/gc")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class GcResource {

    static final int MAX_PAGE_SIZE = 100;

    private final GcRunner runner;
    private final RunRepository runs;
    private final ScheduleRepository schedules;
    private final GcConfig config;
    private final ObjectMapper json;
    private final DataSource db;

    public GcResource(GcRunner runner, RunRepository runs, ScheduleRepository schedules, GcConfig config,
            ObjectMapper json, DataSource db) {
        this.db = db;
        this.runner = runner;
        this.runs = runs;
        this.schedules = schedules;
        this.config = config;
        this.json = json;
    }

    /** Starts a run: {@code {"dryRun", "deleteUntagged", "graceSeconds", "orphans"}}, each optional. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response start(String body, @Context ContainerRequestContext request) {
        JsonNode options = GcRequests.object(json, body, Set.of("dryRun", "deleteUntagged", "graceSeconds", "orphans"));
        Long grace = GcRequests.grace(options, "graceSeconds");
        boolean dryRun = GcRequests.bool(options, "dryRun", false);
        if (!dryRun && ReadOnly.on(db)) {
            throw new ApiException(ApiErrorCode.UNAVAILABLE,
                    "berth is read-only for maintenance; gc deletes nothing until an administrator ends it (a dry run works)",
                    60);
        }
        GcRun run;
        try {
            run = runner.start(new GcRun.Options("manual", dryRun,
                    GcRequests.bool(options, "deleteUntagged", false),
                    grace != null ? grace : config.grace().toSeconds(), GcRequests.bool(options, "orphans", false),
                    caller(request)));
        } catch (GcRunner.AlreadyRunning e) {
            throw new ApiException(ApiErrorCode.CONFLICT, e.getMessage());
        }
        return Response.accepted(Map.of("id", run.id()))
                .header("Location", "/api/v1/system/gc/" + run.id()).build();
    }

    /** The history, newest first ({@code page} from 1, {@code page_size} up to 100); the total in {@code X-Total-Count}. */
    @GET
    public Response history(@QueryParam("page") @DefaultValue("1") int page,
            @QueryParam("page_size") @DefaultValue("25") int pageSize) {
        if (page < 1 || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw ApiException.badRequest("page counts from 1; page_size is 1 to " + MAX_PAGE_SIZE);
        }
        RunRepository.Page result = runs.page(page, pageSize);
        return Response.ok(result.runs().stream().map(GcResource::view).toList())
                .header("X-Total-Count", result.total()).build();
    }

    @GET
    @Path("{id: [0-9]+}")
    public Map<String, Object> run(@PathParam("id") long id) {
        return view(existing(id));
    }

    /** The run's log as text, one line per entry. */
    @GET
    @Path("{id: [0-9]+}/log")
    @Produces(MediaType.TEXT_PLAIN)
    public String log(@PathParam("id") long id) {
        existing(id);
        List<String> lines = runs.logLines(id);
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    /** Asks a running run to stop after its current batch: 202 with the run. */
    @DELETE
    @Path("{id: [0-9]+}")
    public Response stop(@PathParam("id") long id) {
        GcRun run = existing(id);
        if (!runs.requestStop(id)) {
            throw new ApiException(ApiErrorCode.CONFLICT, "gc run " + id + " is not running (" + run.status() + ")");
        }
        return Response.accepted(view(existing(id))).build();
    }

    @GET
    @Path("schedule")
    public Map<String, Object> schedule() {
        return view(schedules.get());
    }

    /**
     * Sets the schedule: {@code {"cron", "dryRun", "deleteUntagged", "graceSeconds", "orphans"}}; a null or
     * empty {@code cron} turns it off.
     */
    @PUT
    @Path("schedule")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> setSchedule(String body, @Context ContainerRequestContext request) {
        JsonNode s = GcRequests.object(json, body, Set.of("cron", "dryRun", "deleteUntagged", "graceSeconds", "orphans"));
        if (!s.has("cron")) {
            throw ApiException.badRequest("\"cron\" is needed: a cron expression, or null to turn the schedule off");
        }
        String cron = GcRequests.text(s, "cron");
        if (cron != null) {
            try {
                cron = CronSchedule.parse(cron).expression();
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
        return view(schedules.put(cron, GcRequests.bool(s, "dryRun", false), GcRequests.bool(s, "deleteUntagged", false),
                GcRequests.grace(s, "graceSeconds"), GcRequests.bool(s, "orphans", false), caller(request)));
    }

    private GcRun existing(long id) {
        return runs.find(id).orElseThrow(() -> ApiException.notFound("no gc run " + id));
    }

    private static String caller(ContainerRequestContext request) {
        Object name = request.getProperty(AdminFilter.CALLER);
        return name == null ? null : name.toString();
    }

    static Map<String, Object> view(GcRun r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", r.id());
        v.put("trigger", r.trigger());
        v.put("status", r.status());
        v.put("dryRun", r.dryRun());
        v.put("deleteUntagged", r.deleteUntagged());
        v.put("graceSeconds", r.graceSeconds());
        v.put("orphans", r.orphans());
        v.put("requestedBy", r.requestedBy());
        v.put("startedAt", text(r.startedAt()));
        v.put("endedAt", text(r.endedAt()));
        v.put("manifestsDeleted", r.counts().manifestsDeleted());
        v.put("linksDeleted", r.counts().linksDeleted());
        v.put("blobsDeleted", r.counts().blobsDeleted());
        v.put("objectsDeleted", r.counts().objectsDeleted());
        v.put("bytesFreed", r.counts().bytesFreed());
        v.put("error", r.error());
        return v;
    }

    private Map<String, Object> view(Schedule s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("cron", s.cron());
        v.put("dryRun", s.dryRun());
        v.put("deleteUntagged", s.deleteUntagged());
        v.put("graceSeconds", s.graceSeconds() != null ? s.graceSeconds() : config.grace().toSeconds());
        v.put("orphans", s.orphans());
        Instant next = null;
        if (s.cron() != null) {
            Instant from = s.lastFiredAt() != null ? s.lastFiredAt() : Instant.now();
            next = CronSchedule.parse(s.cron()).next(from.isAfter(Instant.now()) ? from : Instant.now()).orElse(null);
        }
        v.put("nextRunAt", text(next));
        v.put("updatedAt", text(s.updatedAt()));
        v.put("updatedBy", s.updatedBy());
        return v;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
