package io.berth.replicator.execution;

import static org.junit.jupiter.api.Assertions.fail;

import io.berth.replicator.endpoints.Endpoint;
import io.berth.replicator.endpoints.EndpointSpec;
import io.berth.replicator.endpoints.EndpointType;
import io.berth.replicator.endpoints.Endpoints;
import io.berth.replicator.remote.RegistryClient;
import io.berth.replicator.remote.RemoteTarget;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import javax.sql.DataSource;

/** Endpoints, policies (rows written with SQL), and waiting for executions, for the engine's tests. */
final class Fixture {

    private final DataSource db;
    private final Endpoints endpoints;

    Fixture(DataSource db, Endpoints endpoints) {
        this.db = db;
        this.endpoints = endpoints;
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    static RegistryClient client(String url, String user, String password) {
        return new RegistryClient(new RemoteTarget(URI.create(url), false, user, password, Duration.ofSeconds(5),
                Duration.ofSeconds(10)));
    }

    Endpoint endpoint(String url, String user, String password) {
        return endpoints.create(new EndpointSpec(unique("ep-"), EndpointType.DISTRIBUTION, url, false, user, password,
                null), "test");
    }

    /** A policy row; {@code filters} is its JSON; {@code cron} null unless scheduled. */
    long policy(String direction, Endpoint endpoint, String trigger, String filters, boolean overwrite,
            boolean replicateDeletion, String cron) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO replication_policies (name, direction, endpoint_id, filters, overwrite, replicate_deletion,
                    trigger_type, cron, created_by, updated_by)
                VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, 'test', 'test') RETURNING id""")) {
            s.setString(1, unique("policy-"));
            s.setString(2, direction);
            s.setLong(3, endpoint.id());
            s.setString(4, filters);
            s.setBoolean(5, overwrite);
            s.setBoolean(6, replicateDeletion);
            s.setString(7, trigger);
            s.setString(8, cron);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    void sql(String statement, Object... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }

    /** Rows of a query, as column-name maps. */
    List<Map<String, Object>> rows(String query, Object... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(query)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            List<Map<String, Object>> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }

    Map<String, Object> execution(long id) throws SQLException {
        return rows("SELECT * FROM replication_executions WHERE id = ?", id).get(0);
    }

    List<Map<String, Object>> tasks(long executionId) throws SQLException {
        return rows("SELECT * FROM replication_tasks WHERE execution_id = ? ORDER BY src_repository, src_reference",
                executionId);
    }

    List<Map<String, Object>> executionsOf(long policyId) throws SQLException {
        return rows("SELECT * FROM replication_executions WHERE policy_id = ? ORDER BY id", policyId);
    }

    /** Waits until the execution's row satisfies {@code done}, up to {@code timeout}. */
    Map<String, Object> await(long executionId, Predicate<Map<String, Object>> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> e;
        do {
            e = execution(executionId);
            if (done.test(e)) {
                return e;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        fail("execution " + executionId + " did not get there in " + timeout + ": " + e + " tasks " + tasks(executionId));
        return e;
    }

    /** Waits for the execution to end. */
    Map<String, Object> awaitEnd(long executionId) throws Exception {
        return await(executionId, e -> e.get("ended_at") != null, Duration.ofSeconds(30));
    }

    /** Waits for the policy's first execution, up to {@code timeout}; returns its id. */
    long awaitExecutionOf(long policyId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            List<Map<String, Object>> e = executionsOf(policyId);
            if (!e.isEmpty()) {
                return (Long) e.get(0).get("id");
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return fail("policy " + policyId + " got no execution in " + timeout);
    }
}
