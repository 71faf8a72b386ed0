package io.berth.auth.service;

import io.berth.auth.events.AuditOutbox;
import io.berth.auth.metadata.MemberRepository;
import io.berth.auth.metadata.MemberRepository.Member;
import io.berth.auth.metadata.ProjectRepository;
import io.berth.auth.metadata.ProjectRepository.Project;
import io.berth.auth.metadata.ProjectRepository.Settings;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.security.Action;
import io.berth.security.ProjectRole;
import io.berth.events.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Projects and their members, with who may do what (docs/security.md): any person may create a
 * project and becomes its projectAdmin; seeing a project takes a membership or a public
 * project; changing it, its members or its robots takes {@link Action#MANAGE_PROJECT}
 * (projectAdmin). System administrators may do everything. Robots may not manage anything.
 * Every change is written with an audit event ({@code berth.audit}) in the same transaction.
 */
@ApplicationScoped
public class ProjectService {

    private final ProjectRepository projects;
    private final MemberRepository members;
    private final RobotService robots;
    private final AuditOutbox audit;

    public ProjectService(ProjectRepository projects, MemberRepository members, RobotService robots, AuditOutbox audit) {
        this.projects = projects;
        this.members = members;
        this.robots = robots;
        this.audit = audit;
    }

    /** Creates a project with the caller as its projectAdmin; a quota takes a system administrator. */
    @Transactional
    public Project create(Caller caller, String name, Settings settings) {
        if (caller.isRobot()) {
            throw new ApiException(ApiErrorCode.FORBIDDEN, "robot accounts cannot create projects");
        }
        checkName(name);
        check(caller, settings);
        if (!projects.create(name, settings, caller.subject())) {
            throw new ApiException(ApiErrorCode.CONFLICT, "project " + name + " exists");
        }
        Project created = projects.find(name).orElseThrow();
        audit.write(EventType.PROJECT_CREATED, name, settingsEvent(caller, created, settings));
        return created;
    }

    public Project get(Caller caller, String name) {
        Project p = projects.find(name).orElseThrow(() -> notFound(name));
        if (!p.isPublic() && !may(caller, p, Action.PULL)) {
            throw notFound(name);
        }
        return p;
    }

    /**
     * The caller's own role in the project they may see ({@link #get}): the most privileged of
     * their memberships, by name or by group; empty for a robot or a non-member (a system
     * administrator who is not a member too). Services that let a project's projectAdmins do
     * something ask for it (gc's retention API, docs/security.md).
     */
    public Optional<ProjectRole> roleOf(Caller caller, Project p) {
        if (caller.isRobot()) {
            return Optional.empty();
        }
        return members.roleOf(p.name(), caller.subject(), caller.groups());
    }

    public List<Project> list(Caller caller) {
        return projects.list(caller.admin(), caller.isRobot() ? "" : caller.subject(), caller.groups());
    }

    /**
     * Changes the settings that are given: a projectAdmin may change visibility, tag immutability
     * rules and the vulnerability policy; the quota takes a system administrator, as in Harbor.
     */
    @Transactional
    public Project update(Caller caller, String name, Settings settings) {
        Project p = managed(caller, name);
        check(caller, settings);
        projects.update(p.name(), settings);
        Project updated = projects.find(name).orElseThrow();
        audit.write(EventType.PROJECT_UPDATED, name, settingsEvent(caller, updated, settings));
        return updated;
    }

    /** The most immutability rules a project holds (Harbor's limit). */
    static final int MAX_TAG_RULES = 15;

    private static void check(Caller caller, Settings settings) {
        if (settings.immutableTagRules() != null && settings.immutableTagRules().size() > MAX_TAG_RULES) {
            throw new ApiException(ApiErrorCode.BAD_REQUEST, "a project holds at most " + MAX_TAG_RULES + " immutability rules");
        }
        if (settings.immutableTagRules() != null && settings.immutableTagRules().contains(null)) {
            throw new ApiException(ApiErrorCode.BAD_REQUEST, "an immutability rule is {\"repositories\": glob, \"tags\": glob}");
        }
        if (settings.quotaBytes() != null && !caller.admin()) {
            throw new ApiException(ApiErrorCode.FORBIDDEN, "a project's quota is set by system administrators");
        }
        if (settings.quotaBytes() != null && settings.quotaBytes() < -1) {
            throw new ApiException(ApiErrorCode.BAD_REQUEST, "quotaBytes is a number of bytes, or -1 for no quota");
        }
    }

    /** The event of a project change: what was set, as it now is, and who set it. */
    private static Map<String, Object> settingsEvent(Caller caller, Project p, Settings set) {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("project", p.name());
        if (set.isPublic() != null) {
            event.put("public", p.isPublic());
        }
        if (set.quotaBytes() != null) {
            event.put("quotaBytes", p.quotaBytes() == null ? -1 : p.quotaBytes());
        }
        if (set.immutableTagRules() != null) {
            event.put("immutableTagRules", p.immutableTagRules());
        }
        if (set.vulnerabilityPolicy() != null) {
            event.put("vulnerabilityPolicy", p.vulnerabilityPolicy());
        }
        event.put("actor", caller.subject());
        return event;
    }

    /** Deletes an empty project; one that still holds repositories is refused (412), as Harbor does. */
    @Transactional
    public void delete(Caller caller, String name) {
        Project p = managed(caller, name);
        if (projects.repositoryCount(p.id()) > 0) {
            throw new ApiException(ApiErrorCode.PRECONDITION_FAILED, "project " + name + " still has repositories; delete them first");
        }
        projects.delete(name);
        audit.write(EventType.PROJECT_DELETED, name, Map.of("project", name, "actor", caller.subject()));
    }

    public List<Member> members(Caller caller, String project) {
        Project p = get(caller, project);
        if (!may(caller, p, Action.READ_PROJECT)) {
            throw new ApiException(ApiErrorCode.FORBIDDEN, "reading the members of " + project + " takes the guest role or more");
        }
        return members.list(project);
    }

    @Transactional
    public void addMember(Caller caller, String project, String kind, String name, String role) {
        managed(caller, project);
        if (!members.add(project, kind, name, role(role))) {
            throw new ApiException(ApiErrorCode.CONFLICT, kind + " " + name + " is a member of " + project + " already");
        }
        audit.write(EventType.MEMBER_CREATED, project, memberEvent(caller, project, kind, name, role));
    }

    @Transactional
    public void setRole(Caller caller, String project, String kind, String name, String role) {
        managed(caller, project);
        if (!members.setRole(project, kind, name, role(role))) {
            throw new ApiException(ApiErrorCode.NOT_FOUND, kind + " " + name + " is not a member of " + project);
        }
        audit.write(EventType.MEMBER_UPDATED, project, memberEvent(caller, project, kind, name, role));
    }

    @Transactional
    public void removeMember(Caller caller, String project, String kind, String name) {
        managed(caller, project);
        if (!members.remove(project, kind, name)) {
            throw new ApiException(ApiErrorCode.NOT_FOUND, kind + " " + name + " is not a member of " + project);
        }
        audit.write(EventType.MEMBER_DELETED, project, memberEvent(caller, project, kind, name, null));
    }

    /**
     * Makes a project robot. {@code scanner-pull} (its pulls pass the pull gate) takes a system
     * administrator: it is a standing way past the gate that the project's policy does not show
     * (a project that says {@code preventPull} would still serve anyone holding the robot's
     * secret), so it is kept to those who answer for the whole registry, as in Harbor, where only
     * the scanner's own robots hold it.
     */
    public RobotService.Issued createRobot(Caller caller, String project, String name, Set<String> permissions,
            int expiresInDays) {
        managed(caller, project);
        if (permissions.contains(RobotService.SCANNER_PULL) && !caller.admin()) {
            throw new ApiException(ApiErrorCode.FORBIDDEN, "only a system administrator may give a robot scanner-pull");
        }
        try {
            return robots.createProjectRobot(caller.subject(), project, name, permissions, expiresInDays)
                    .orElseThrow(() -> new ApiException(ApiErrorCode.CONFLICT, "robot " + name + " exists in " + project));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ApiErrorCode.BAD_REQUEST, e.getMessage());
        }
    }

    public RobotService.Issued refreshRobot(Caller caller, String project, String name) {
        managed(caller, project);
        return robots.refreshSecret(caller.subject(), RobotService.projectRobotName(project, name))
                .orElseThrow(() -> new ApiException(ApiErrorCode.NOT_FOUND, "no robot " + name + " in " + project));
    }

    public void setRobotDisabled(Caller caller, String project, String name, boolean disabled) {
        managed(caller, project);
        if (!robots.setDisabled(caller.subject(), RobotService.projectRobotName(project, name), disabled)) {
            throw new ApiException(ApiErrorCode.NOT_FOUND, "no robot " + name + " in " + project);
        }
    }

    public java.util.List<io.berth.auth.metadata.RobotRepository.RobotSummary> robots(Caller caller, String project) {
        managed(caller, project);
        return robots.list(project);
    }

    public void deleteRobot(Caller caller, String project, String name) {
        managed(caller, project);
        if (!robots.delete(caller.subject(), RobotService.projectRobotName(project, name))) {
            throw new ApiException(ApiErrorCode.NOT_FOUND, "no robot " + name + " in " + project);
        }
    }

    /** The project, if the caller may manage it; NOT_FOUND if it may not even see it. */
    private Project managed(Caller caller, String name) {
        Project p = get(caller, name);
        if (!may(caller, p, Action.MANAGE_PROJECT)) {
            throw new ApiException(ApiErrorCode.FORBIDDEN, "changing project " + name + " takes the projectAdmin role");
        }
        return p;
    }

    private boolean may(Caller caller, Project p, Action action) {
        if (caller.admin()) {
            return true;
        }
        if (caller.isRobot()) {
            // A robot holds scope actions only: it may see a project it can pull from, nothing more.
            return action == Action.PULL && caller.robotGrants().getOrDefault(p.name(), Set.of()).contains("pull");
        }
        Optional<ProjectRole> role = members.roleOf(p.name(), caller.subject(), caller.groups());
        return role.isPresent() && role.get().allows(action);
    }

    private static Map<String, Object> memberEvent(Caller caller, String project, String kind, String name, String role) {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("project", project);
        event.put(kind.equals("user") ? "username" : "group", name);
        if (role != null) {
            event.put("role", role);
        }
        event.put("actor", caller.subject());
        return event;
    }

    private static ProjectRole role(String wire) {
        try {
            return ProjectRole.fromWire(wire);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ApiErrorCode.BAD_REQUEST, e.getMessage());
        }
    }

    private static void checkName(String name) {
        try {
            if (name != null && !name.contains("/") && RepositoryName.parse(name).value().equals(name)) {
                return;
            }
        } catch (RegistryException e) {
            // falls through to the answer below
        }
        throw new ApiException(ApiErrorCode.BAD_REQUEST, "a project name is lowercase letters and digits, separated by . _ or -");
    }

    private static ApiException notFound(String name) {
        return new ApiException(ApiErrorCode.NOT_FOUND, "project " + name + " not found");
    }
}
