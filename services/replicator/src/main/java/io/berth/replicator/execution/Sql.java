package io.berth.replicator.execution;

import io.berth.errors.ServiceUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** One JDBC transaction: committed if the work returns, rolled back if it throws. */
final class Sql {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Sql() {}

    /** @throws SQLException as the database failed (nothing was committed) */
    static <T> T transaction(DataSource db, Work<T> work) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** {@link #transaction}, a database failure as {@link ServiceUnavailableException} (503). */
    static <T> T inTransaction(DataSource db, Work<T> work) {
        try {
            return transaction(db, work);
        } catch (SQLException e) {
            throw new ServiceUnavailableException("the database cannot be reached: " + e.getMessage(), e);
        }
    }
}
