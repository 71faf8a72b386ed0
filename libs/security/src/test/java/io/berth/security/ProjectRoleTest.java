package io.berth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProjectRoleTest {

    /** The permission matrix, written out by hand: role, action, allowed. */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            PROJECT_ADMIN | PULL           | true
            PROJECT_ADMIN | PUSH           | true
            PROJECT_ADMIN | DELETE         | true
            PROJECT_ADMIN | READ_PROJECT   | true
            PROJECT_ADMIN | MANAGE_PROJECT | true
            PROJECT_ADMIN | SCANNER_PULL   | false
            MAINTAINER    | PULL           | true
            MAINTAINER    | PUSH           | true
            MAINTAINER    | DELETE         | true
            MAINTAINER    | READ_PROJECT   | true
            MAINTAINER    | MANAGE_PROJECT | false
            MAINTAINER    | SCANNER_PULL   | false
            DEVELOPER     | PULL           | true
            DEVELOPER     | PUSH           | true
            DEVELOPER     | DELETE         | false
            DEVELOPER     | READ_PROJECT   | true
            DEVELOPER     | MANAGE_PROJECT | false
            DEVELOPER     | SCANNER_PULL   | false
            GUEST         | PULL           | true
            GUEST         | PUSH           | false
            GUEST         | DELETE         | false
            GUEST         | READ_PROJECT   | true
            GUEST         | MANAGE_PROJECT | false
            GUEST         | SCANNER_PULL   | false
            LIMITED_GUEST | PULL           | true
            LIMITED_GUEST | PUSH           | false
            LIMITED_GUEST | DELETE         | false
            LIMITED_GUEST | READ_PROJECT   | false
            LIMITED_GUEST | MANAGE_PROJECT | false
            LIMITED_GUEST | SCANNER_PULL   | false
            """)
    void permissionMatrix(ProjectRole role, Action action, boolean allowed) {
        assertEquals(allowed, role.allows(action));
        assertEquals(allowed, role.actions().contains(action));
    }

    @Test
    void matrixAboveCoversEveryRoleAndAction() {
        // 30 rows above; if a role or action is added, the table must grow with it.
        assertEquals(5, ProjectRole.values().length);
        assertEquals(6, Action.values().length);
    }

    @Test
    void nullActionIsNeverAllowed() {
        for (ProjectRole r : ProjectRole.values()) {
            assertFalse(r.allows(null), r.name());
        }
    }

    @Test
    void actionsAreUnmodifiable() {
        Set<Action> actions = ProjectRole.GUEST.actions();
        assertThrows(UnsupportedOperationException.class, () -> actions.add(Action.DELETE));
        assertThrows(UnsupportedOperationException.class, () -> actions.clear());
        assertEquals(EnumSet.of(Action.PULL, Action.READ_PROJECT), actions);
    }

    @Test
    void scopeActionsAreTheDockerNamesInOrder() {
        assertEquals(List.of("pull", "push", "delete"), List.copyOf(ProjectRole.PROJECT_ADMIN.scopeActions()));
        assertEquals(List.of("pull", "push", "delete"), List.copyOf(ProjectRole.MAINTAINER.scopeActions()));
        assertEquals(List.of("pull", "push"), List.copyOf(ProjectRole.DEVELOPER.scopeActions()));
        assertEquals(List.of("pull"), List.copyOf(ProjectRole.GUEST.scopeActions()));
        assertEquals(List.of("pull"), List.copyOf(ProjectRole.LIMITED_GUEST.scopeActions()));
        assertThrows(UnsupportedOperationException.class, () -> ProjectRole.GUEST.scopeActions().add("push"));
    }

    @ParameterizedTest
    @CsvSource({
        "projectAdmin, PROJECT_ADMIN",
        "maintainer, MAINTAINER",
        "developer, DEVELOPER",
        "guest, GUEST",
        "limitedGuest, LIMITED_GUEST",
    })
    void wireNames(String wire, ProjectRole role) {
        assertEquals(role, ProjectRole.fromWire(wire));
        assertEquals(wire, role.wireName());
    }

    @Test
    void unknownWireNameNamesTheValidRoles() {
        for (String bad : new String[] {"admin", "PROJECT_ADMIN", "Developer", "", " guest"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProjectRole.fromWire(bad));
            assertTrue(e.getMessage().contains("projectAdmin, maintainer, developer, guest, limitedGuest"),
                    e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ProjectRole.fromWire(null));
    }

    @Test
    void actionScopeNames() {
        assertEquals(Optional.of("pull"), Action.PULL.scopeName());
        assertEquals(Optional.of("push"), Action.PUSH.scopeName());
        assertEquals(Optional.of("delete"), Action.DELETE.scopeName());
        assertEquals(Optional.empty(), Action.READ_PROJECT.scopeName());
        assertEquals(Optional.empty(), Action.MANAGE_PROJECT.scopeName());
        assertEquals(Optional.of(Action.DELETE), Action.fromScopeName("delete"));
        assertEquals(Optional.empty(), Action.fromScopeName("*"));
        assertEquals(Optional.empty(), Action.fromScopeName("PULL"));
        assertEquals(Optional.empty(), Action.fromScopeName(null));
    }
}
