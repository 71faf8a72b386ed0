package io.berth.auth.service;

import java.util.Map;
import java.util.Set;

/**
 * Who asks for a token.
 *
 * @param subject the {@code sub} of the token: the username or robot name, or "" for an
 *     anonymous caller
 * @param admin whether the caller is a system administrator (Keycloak realm role {@code berth-admin})
 * @param groups the Keycloak groups a person is in, which may be project members
 * @param robotGrants for a robot account, what it may do: project name to scope actions; null
 *     for anyone else (whose rights come from project memberships)
 * @param serviceActions for an internal service's account ({@code service$<name>},
 *     {@link ServiceAccounts}), the scope actions it holds in every repository of every project;
 *     null for anyone else
 */
public record Caller(String subject, boolean admin, Set<String> groups, Map<String, Set<String>> robotGrants,
        Set<String> serviceActions) {

    public static final Caller ANONYMOUS = new Caller("", false, Set.of(), null, null);

    public Caller {
        groups = Set.copyOf(groups);
        robotGrants = robotGrants == null ? null : Map.copyOf(robotGrants);
        serviceActions = serviceActions == null ? null : Set.copyOf(serviceActions);
    }

    /** A person from Keycloak. */
    public static Caller person(String username, boolean admin, Set<String> groups) {
        return new Caller(username, admin, groups, null, null);
    }

    /** A robot account with its grants. */
    public static Caller robot(String name, Map<String, Set<String>> grants) {
        return new Caller(name, false, Set.of(), grants, null);
    }

    /** An internal service's account with the actions it holds in every repository. */
    public static Caller service(String name, Set<String> actions) {
        return new Caller(name, false, Set.of(), null, actions);
    }

    public boolean anonymous() {
        return subject.isEmpty();
    }

    public boolean isRobot() {
        return robotGrants != null;
    }

    public boolean isService() {
        return serviceActions != null;
    }
}
