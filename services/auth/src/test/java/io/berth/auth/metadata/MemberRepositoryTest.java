package io.berth.auth.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.security.ProjectRole;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A user's role in a project: their own membership or a group's, whichever is higher. */
@QuarkusTest
class MemberRepositoryTest {

    private static final String DB = System.getenv()
            .getOrDefault("BERTH_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/berth_test");

    @Inject
    MemberRepository members;

    @Test
    void theHighestOfTheUsersAndTheirGroupsRolesCounts() throws SQLException {
        String project = "members-" + System.nanoTime();
        sql("INSERT INTO projects (name) VALUES ('" + project + "')");
        add(project, "user", "ann", "guest");
        add(project, "group", "platform", "maintainer");
        add(project, "group", "readers", "limitedGuest");

        assertEquals(Optional.of(ProjectRole.GUEST), members.roleOf(project, "ann", Set.of()));
        assertEquals(Optional.of(ProjectRole.MAINTAINER), members.roleOf(project, "ann", Set.of("platform", "readers")));
        assertEquals(Optional.of(ProjectRole.LIMITED_GUEST), members.roleOf(project, "bob", Set.of("readers")));
        assertEquals(Optional.empty(), members.roleOf(project, "bob", Set.of("elsewhere")));
        // A group named like a user is not that user.
        assertEquals(Optional.empty(), members.roleOf(project, "platform", Set.of()));
        assertEquals(Optional.empty(), members.roleOf("no-such-project", "ann", Set.of("platform")));
    }

    private static void add(String project, String kind, String name, String role) throws SQLException {
        sql("INSERT INTO project_members (project_id, member_kind, member_name, role) SELECT id, '" + kind + "', '"
                + name + "', '" + role + "' FROM projects WHERE name = '" + project + "'");
    }

    private static void sql(String statement) throws SQLException {
        try (var c = DriverManager.getConnection(DB, "berth", "berth"); var s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }
}
