package io.berth.auth.api;

import io.berth.auth.service.Caller;
import io.berth.auth.service.CliSecrets;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/v1/users/current}: who the credentials belong to, and that person's CLI secret
 * (the password of {@code docker login} for single-sign-on users; service/CliSecrets).
 */
@Path("/api/v1/users/current")
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    private final ApiCallers callers;
    private final CliSecrets cliSecrets;

    public UserResource(ApiCallers callers, CliSecrets cliSecrets) {
        this.callers = callers;
        this.cliSecrets = cliSecrets;
    }

    @GET
    public Map<String, Object> current(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth) {
        var caller = callers.of(auth);
        return Map.of("username", caller.subject(), "admin", caller.admin(), "robot", caller.isRobot(),
                "groups", caller.groups().stream().sorted().toList());
    }

    /**
     * Makes a new CLI secret, replacing the one the user had (and revoking their refresh tokens).
     * Only with a password or a console token: a CLI secret cannot mint its successor.
     */
    @POST
    @Path("cli-secret")
    public Response createCliSecret(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth) {
        Caller person = callers.signedInPerson(auth);
        String secret = cliSecrets.create(person.subject());
        return Response.status(201).entity(Map.of("username", person.subject(), "secret", secret))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    /** When the user's CLI secret was made and last used; 404 if they have none. */
    @GET
    @Path("cli-secret")
    public Map<String, Object> cliSecret(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth) {
        Caller person = person(auth);
        var status = cliSecrets.status(person.subject()).orElseThrow(() -> noSecret(person));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("username", person.subject());
        view.put("createdAt", status.createdAt().toString());
        view.put("lastUsedAt", status.lastUsedAt() == null ? null : status.lastUsedAt().toString());
        return view;
    }

    /** Revokes the user's CLI secret and refresh tokens; 404 if they have no secret. */
    @DELETE
    @Path("cli-secret")
    public Response revokeCliSecret(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth) {
        Caller person = person(auth);
        if (!cliSecrets.revoke(person.subject())) {
            throw noSecret(person);
        }
        return Response.noContent().build();
    }

    private Caller person(String auth) {
        Caller caller = callers.of(auth);
        if (caller.isRobot()) {
            throw new ApiException(ApiErrorCode.FORBIDDEN, "robot accounts have no CLI secret");
        }
        return caller;
    }

    private static ApiException noSecret(Caller person) {
        return new ApiException(ApiErrorCode.NOT_FOUND, person.subject() + " has no CLI secret");
    }
}
