package io.berth.auth.service;

import io.berth.auth.events.AuditOutbox;
import io.berth.auth.events.RevocationPublisher;
import io.berth.auth.metadata.ProjectRepository;
import io.berth.auth.metadata.RefreshTokenRepository;
import io.berth.auth.metadata.RobotRepository;
import io.berth.auth.metadata.RobotRepository.StoredRobot;
import io.berth.events.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Robot accounts: machine identities for CI, named {@code robot$<project>+<name>} (one project)
 * or {@code robot$<name>} (a system robot, with permissions in several projects). The secret is
 * 32 random bytes, shown once, and stored only as a bcrypt hash. A robot that is disabled or
 * past its expiry is refused like a wrong secret. Robots cannot use the console: only the token
 * service accepts them. Every change is written with an audit event in the same transaction,
 * and a change to an existing robot is announced to every replica's credential cache
 * ({@link RevocationPublisher}) when it commits.
 */
@ApplicationScoped
public class RobotService {

    /** The prefix of every robot account's name. */
    public static final String PREFIX = "robot$";

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
    private static final Set<String> ACTIONS = Set.of("pull", "push", "delete", "scanner-pull");

    /**
     * The permission that lets a robot's pulls pass the pull gate (docs/security.md): only a
     * system administrator gives it, and only with {@code pull}.
     */
    public static final String SCANNER_PULL = "scanner-pull";

    /** The full name of robot {@code name} of project {@code project}: {@code robot$<project>+<name>}. */
    public static String projectRobotName(String project, String name) {
        return PREFIX + project + "+" + name;
    }

    /** The full name of system robot {@code name}: {@code robot$<name>}. */
    public static String systemRobotName(String name) {
        return PREFIX + name;
    }

    /** A robot just made or given a new secret: the only time the secret is shown. */
    public record Issued(String name, String secret) {}

    private final RobotRepository robots;
    private final ProjectRepository projects;
    private final RefreshTokenRepository refreshTokens;
    private final AuditOutbox audit;
    private final RevocationPublisher revocations;
    private final Clock clock = Clock.systemUTC();

    public RobotService(RobotRepository robots, ProjectRepository projects, RefreshTokenRepository refreshTokens,
            AuditOutbox audit, RevocationPublisher revocations) {
        this.robots = robots;
        this.projects = projects;
        this.refreshTokens = refreshTokens;
        this.audit = audit;
        this.revocations = revocations;
    }

    /**
     * Makes project robot {@code robot$<project>+<name>} with {@code actions} in its project.
     *
     * @param expiresInDays days until it expires, or -1 for never
     * @return its name and secret, or empty if a robot of that name exists
     * @throws IllegalArgumentException if the name, an action or the expiry is invalid, or the
     *     project does not exist
     */
    @Transactional
    public Optional<Issued> createProjectRobot(String actor, String project, String name, Set<String> actions,
            int expiresInDays) {
        if (projects.isPublic(project).isEmpty()) {
            throw new IllegalArgumentException("project " + project + " does not exist");
        }
        return create(actor, projectRobotName(project, checkName(name)), project, Map.of(project, actions), expiresInDays);
    }

    /**
     * Makes system robot {@code robot$<name>} with {@code permissions} (project to actions).
     *
     * @return its name and secret, or empty if a robot of that name exists
     * @throws IllegalArgumentException as {@link #createProjectRobot}, for any project named
     */
    @Transactional
    public Optional<Issued> createSystemRobot(String actor, String name, Map<String, Set<String>> permissions,
            int expiresInDays) {
        return create(actor, systemRobotName(checkName(name)), null, permissions, expiresInDays);
    }

    /**
     * Gives the robot a new secret; the old one stops working, and so do the refresh tokens got
     * with it. Empty if there is no such robot.
     */
    @Transactional
    public Optional<Issued> refreshSecret(String actor, String fullName) {
        String secret = Secrets.generate("");
        if (!robots.updateSecret(fullName, Secrets.bcrypt(secret))) {
            return Optional.empty();
        }
        refreshTokens.deleteAll(fullName);
        revocations.revoked(fullName);
        audit.write(EventType.ROBOT_UPDATED, fullName, Map.of("robot", fullName, "change", "secret-refreshed", "actor", actor));
        return Optional.of(new Issued(fullName, secret));
    }

    /** The robots of {@code project}, or the system robots when it is null. */
    public java.util.List<RobotRepository.RobotSummary> list(String project) {
        return robots.list(project);
    }

    /** Deletes a robot; false if there is no such robot. */
    @Transactional
    public boolean delete(String actor, String fullName) {
        if (!robots.delete(fullName)) {
            return false;
        }
        refreshTokens.deleteAll(fullName);
        revocations.revoked(fullName);
        audit.write(EventType.ROBOT_DELETED, fullName, Map.of("robot", fullName, "actor", actor));
        return true;
    }

    /** Disables or enables a robot; false if there is no such robot. */
    @Transactional
    public boolean setDisabled(String actor, String fullName, boolean disabled) {
        if (!robots.setDisabled(fullName, disabled)) {
            return false;
        }
        revocations.revoked(fullName);
        audit.write(EventType.ROBOT_UPDATED, fullName,
                Map.of("robot", fullName, "change", disabled ? "disabled" : "enabled", "actor", actor));
        return true;
    }

    /**
     * The robot these credentials belong to, if the secret is right and the robot is enabled and
     * not expired. Takes about as long whatever the reason for a refusal.
     */
    public Optional<Caller> authenticate(String fullName, String secret) {
        Optional<StoredRobot> robot = robots.find(fullName);
        if (!Secrets.matches(robot.map(StoredRobot::secretHash).orElse(null), secret)) {
            return Optional.empty();
        }
        return usable(robot.get());
    }

    /** When the robot expires; empty if it never does or does not exist. */
    public Optional<Instant> expiresAt(String fullName) {
        return robots.find(fullName).map(StoredRobot::expiresAt);
    }

    /**
     * The robot called {@code fullName} as it is now, if it exists and is enabled and not
     * expired: for a refresh token, whose robot may have changed since it was issued.
     */
    public Optional<Caller> current(String fullName) {
        return robots.find(fullName).flatMap(this::usable);
    }

    private Optional<Caller> usable(StoredRobot r) {
        if (r.disabled() || (r.expiresAt() != null && !r.expiresAt().isAfter(clock.instant()))) {
            return Optional.empty();
        }
        return Optional.of(Caller.robot(r.name(), r.permissions()));
    }

    private Optional<Issued> create(String actor, String fullName, String ownerProject,
            Map<String, Set<String>> permissions, int expiresInDays) {
        if (expiresInDays == 0 || expiresInDays < -1) {
            throw new IllegalArgumentException("expiresInDays is a number of days, or -1 for never");
        }
        permissions.forEach((project, actions) -> {
            if (actions == null || actions.isEmpty() || !ACTIONS.containsAll(actions)) {
                throw new IllegalArgumentException("a robot's permissions in " + project
                        + " are some of [pull, push, delete, scanner-pull]");
            }
            if (actions.contains(SCANNER_PULL) && !actions.contains("pull")) {
                throw new IllegalArgumentException("scanner-pull lets pulls pass the pull gate, so it needs pull too (in "
                        + project + ")");
            }
        });
        Instant expires = expiresInDays == -1 ? null : clock.instant().plus(Duration.ofDays(expiresInDays));
        String secret = Secrets.generate("");
        if (!robots.create(fullName, ownerProject, Secrets.bcrypt(secret), expires, permissions)) {
            return Optional.empty();
        }
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("robot", fullName);
        event.put("permissions", permissions);
        event.put("expiresAt", expires == null ? null : expires.toString());
        event.put("actor", actor);
        audit.write(EventType.ROBOT_CREATED, fullName, event);
        return Optional.of(new Issued(fullName, secret));
    }

    private static String checkName(String name) {
        if (name == null || name.length() > 64 || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a robot's name is lowercase letters and digits, separated by . _ or -");
        }
        return name;
    }
}
