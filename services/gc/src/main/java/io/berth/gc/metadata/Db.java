package io.berth.gc.metadata;

import io.berth.errors.ServiceUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * gc's transactions: each step of a run is its own short transaction on one connection
 * (docs/adr/0027), so gc manages them itself rather than through JTA. A database failure becomes
 * {@link ServiceUnavailableException} (503 on the API; a run that meets one fails and the next
 * finishes the job).
 */
public final class Db {

    /** Work on one connection inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Db() {}

    /** Runs {@code work} in a READ COMMITTED transaction: committed if it returns, rolled back if it throws. */
    public static <T> T transaction(DataSource db, String what, Work<T> work) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** Runs {@code work} with auto-commit: each statement its own transaction. */
    public static <T> T statements(DataSource db, String what, Work<T> work) {
        try (Connection c = db.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    static ServiceUnavailableException failure(String what, SQLException e) {
        return new ServiceUnavailableException("could not " + what + ": " + e.getMessage(), e);
    }
}
