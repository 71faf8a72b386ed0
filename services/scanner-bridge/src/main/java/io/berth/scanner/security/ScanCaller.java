package io.berth.scanner.security;

import io.berth.errors.ApiException;
import io.berth.security.Action;
import io.berth.security.ProjectRole;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Set;

/**
 * Who called the scan API and what auth says they may do ({@link ProjectAccessFilter}), with the
 * rules of docs/security.md: reading a report or SBOM takes {@code pull} in the project (every
 * member role, anyone signed in for a public project), scanning an artifact takes {@code push}
 * (developer and above, as in Harbor), scanning a whole project takes projectAdmin; system
 * administrators may do everything. A refusal is 403 whether or not the project exists.
 *
 * @param name the user or robot, for {@code requested_by}
 * @param admin a system administrator
 * @param project what auth showed about the project of the path, or null on other paths
 * @param readableProjects for {@code /api/v1/vulnerabilities/...}: the projects the caller may
 *     pull from; null for administrators (every project) and on project paths
 */
public record ScanCaller(String name, boolean admin, ProjectView project, Set<String> readableProjects) {

    /** The request property that holds it. */
    public static final String PROPERTY = "berth.scanner.scan-caller";

    /**
     * The project as auth showed it to the caller.
     *
     * @param name the project of the path
     * @param visible whether auth showed it at all (a private project of others is not)
     * @param isPublic whether anyone signed in may pull from it
     * @param role the caller's own role, or null if not a member (robots never have one)
     */
    public record ProjectView(String name, boolean visible, boolean isPublic, ProjectRole role) {}

    /** The caller the filter found for this request. */
    public static ScanCaller of(ContainerRequestContext request) {
        Object caller = request.getProperty(PROPERTY);
        if (!(caller instanceof ScanCaller c)) {
            throw new IllegalStateException("no caller for " + request.getUriInfo().getPath()
                    + "; ProjectAccessFilter did not run");
        }
        return c;
    }

    /** Refuses unless the caller may read {@code project}'s reports and SBOMs. */
    public void requireRead(String project) {
        if (!admin && !(visible(project) && (this.project.isPublic() || allows(Action.PULL)))) {
            throw ApiException.forbidden("reading the scan reports of project " + project
                    + " takes pull in it; " + name + " has no role in it");
        }
    }

    /** Refuses unless the caller may scan an artifact of {@code project} (developer and above). */
    public void requireScan(String project) {
        if (!admin && !(visible(project) && allows(Action.PUSH))) {
            throw ApiException.forbidden("scanning an artifact of project " + project
                    + " takes the developer role or above, or a system administrator; " + name + " is " + role());
        }
    }

    /** Refuses unless the caller may scan all of {@code project} (projectAdmin). */
    public void requireManage(String project) {
        if (!admin && !(visible(project) && allows(Action.MANAGE_PROJECT))) {
            throw ApiException.forbidden("scanning all of project " + project
                    + " takes its projectAdmin or a system administrator; " + name + " is " + role());
        }
    }

    /** Refuses unless the caller may choose {@code project}'s scanner (projectAdmin). */
    public void requireScannerChoice(String project) {
        if (!admin && !(visible(project) && allows(Action.MANAGE_PROJECT))) {
            throw ApiException.forbidden("the scanner of project " + project
                    + " is chosen by its projectAdmins and system administrators; " + name + " is " + role());
        }
    }

    private boolean visible(String project) {
        return this.project != null && this.project.visible() && this.project.name().equals(project);
    }

    private boolean allows(Action action) {
        return project.role() != null && project.role().allows(action);
    }

    private String role() {
        return project == null || project.role() == null ? "not a member" : project.role().wireName();
    }
}
