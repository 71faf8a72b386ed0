package io.berth.security;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A member's role in a project, with the wire names Harbor uses, and the {@link Action}s it
 * grants. From most to least privileged:
 *
 * <ul>
 *   <li>{@link #PROJECT_ADMIN} {@code projectAdmin}: everything in the project but
 *       {@link Action#SCANNER_PULL}, which no role grants;
 *   <li>{@link #MAINTAINER} {@code maintainer}: pull, push, delete, read the project;
 *   <li>{@link #DEVELOPER} {@code developer}: pull, push, read the project (no delete);
 *   <li>{@link #GUEST} {@code guest}: pull, read the project;
 *   <li>{@link #LIMITED_GUEST} {@code limitedGuest}: pull only.
 * </ul>
 *
 * <p>Only {@link #fromWire} fails, with an {@link IllegalArgumentException}.
 */
public enum ProjectRole {
    // Everything but scanner-pull, which no role grants (robots only, Action#SCANNER_PULL).
    PROJECT_ADMIN("projectAdmin", EnumSet.complementOf(EnumSet.of(Action.SCANNER_PULL))),
    MAINTAINER("maintainer",
            EnumSet.of(Action.PULL, Action.PUSH, Action.DELETE, Action.READ_PROJECT)),
    DEVELOPER("developer", EnumSet.of(Action.PULL, Action.PUSH, Action.READ_PROJECT)),
    GUEST("guest", EnumSet.of(Action.PULL, Action.READ_PROJECT)),
    LIMITED_GUEST("limitedGuest", EnumSet.of(Action.PULL));

    private final String wireName;
    private final Set<Action> actions;
    private final Set<String> scopeActions;

    ProjectRole(String wireName, EnumSet<Action> actions) {
        this.wireName = wireName;
        this.actions = Collections.unmodifiableSet(actions);
        // Enum order (pull, push, delete) keeps granted scopes in a stable, readable order.
        Set<String> names = new LinkedHashSet<>();
        for (Action a : actions) {
            a.scopeName().ifPresent(names::add);
        }
        this.scopeActions = Collections.unmodifiableSet(names);
    }

    /** The role's name in the API and database, e.g. {@code projectAdmin}. */
    public String wireName() {
        return wireName;
    }

    /** Whether this role may perform {@code action}; false for {@code null}. */
    public boolean allows(Action action) {
        return action != null && actions.contains(action);
    }

    /** The actions this role grants, as an unmodifiable set backed by an EnumSet. */
    public Set<Action> actions() {
        return actions;
    }

    /**
     * The Docker scope names of this role's actions, e.g. {@code [pull, push]} for a developer:
     * what to pass to {@link Scope#intersect} for a repository in the role's project.
     */
    public Set<String> scopeActions() {
        return scopeActions;
    }

    /**
     * The role with this wire name, matched exactly.
     *
     * @throws IllegalArgumentException if {@code wireName} is null or not a role's wire name;
     *     the message lists the valid ones
     */
    public static ProjectRole fromWire(String wireName) {
        for (ProjectRole r : values()) {
            if (r.wireName.equals(wireName)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown project role '" + wireName
                + "'; valid roles: " + Arrays.stream(values()).map(ProjectRole::wireName)
                        .collect(Collectors.joining(", ")));
    }
}
