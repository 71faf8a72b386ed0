package io.berth.errors;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a dependency's outage from a bug, by looking through an exception's causes: an outage is
 * answered 503 UNAVAILABLE with {@code Retry-After}, a bug 500 UNKNOWN.
 *
 * <p>PostgreSQL reaches berth through Agroal and pgjdbc, wrapped in whatever the repository
 * threw (auth's {@code IllegalStateException}s, registry-api's
 * {@code MetadataUnavailableException}). What counts as an outage:
 * <ul>
 *   <li>a {@link ServiceUnavailableException} anywhere in the chain;
 *   <li>JDBC's connection exceptions ({@link SQLTransientConnectionException},
 *       {@link SQLNonTransientConnectionException}, {@link SQLRecoverableException});
 *   <li>an {@link SQLException} whose SQLState is of class 08 (connection exception: refused,
 *       broken, 08001 and 08006 from pgjdbc), 57P01 to 57P03 (the server shutting down or
 *       starting) or 53300 (too many connections);
 *   <li>Agroal's "Acquisition timeout" (every pooled connection busy or none can be made within
 *       the acquisition timeout): a plain {@code SQLException} without SQLState.
 * </ul>
 * Any other SQLState (a constraint, a syntax error) is a bug and stays a 500.
 */
public final class Outages {

    /** The {@code Retry-After} of an outage's 503, in seconds: a restart of PostgreSQL or a failover takes about this. */
    public static final long RETRY_AFTER_SECONDS = 5;

    private static final int MAX_DEPTH = 32;

    private Outages() {}

    /** Whether {@code failure} (or one of its causes) says a dependency is down rather than that berth is wrong. */
    public static boolean isOutage(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
            if (t instanceof ServiceUnavailableException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && (isOutageState(sql.getSQLState()) || isPoolTimeout(sql))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a SQLState names a connection failure or a server that is not taking work. */
    static boolean isOutageState(String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.equals("53300"));
    }

    private static boolean isPoolTimeout(SQLException e) {
        return e.getSQLState() == null && (e.getCause() instanceof TimeoutException
                || (e.getMessage() != null && e.getMessage().startsWith("Acquisition timeout")));
    }
}
