package io.berth.security;

import java.util.Optional;

/**
 * Something a caller may do within a project. The first four are the actions of a Docker
 * token scope ({@code repository:<name>:pull,push,delete,scanner-pull}) and carry that wire
 * name; the project-level ones exist only in berth's own API and have none.
 *
 * <p>The wildcard {@code *} of a scope is not an action: {@link Scope#intersect} expands it.
 */
public enum Action {
    /** Read manifests, tags and blobs. */
    PULL("pull"),
    /** Upload blobs, put manifests, move tags. */
    PUSH("push"),
    /** Delete manifests, tags and blobs. */
    DELETE("delete"),
    /**
     * Pull past the project's pull gate (a vulnerability policy with {@code preventPull}), so a
     * scanner can read what the gate refuses to everyone else. No role grants it: only robots
     * hold it, given by a system administrator (docs/security.md, "The pull gate").
     */
    SCANNER_PULL("scanner-pull"),
    /** See the project, its repositories and settings in the API and console. */
    READ_PROJECT(null),
    /** Change the project: members, robot accounts, settings and policies. */
    MANAGE_PROJECT(null);

    private final String scopeName;

    Action(String scopeName) {
        this.scopeName = scopeName;
    }

    /** The action's name in a Docker token scope, e.g. {@code pull}; empty if it has none. */
    public Optional<String> scopeName() {
        return Optional.ofNullable(scopeName);
    }

    /**
     * The action a scope names, by exact lowercase match; empty for {@code null}, {@code *} and
     * names berth does not know. Never throws.
     */
    public static Optional<Action> fromScopeName(String name) {
        for (Action a : values()) {
            if (a.scopeName != null && a.scopeName.equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
