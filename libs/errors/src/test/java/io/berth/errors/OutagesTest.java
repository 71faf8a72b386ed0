package io.berth.errors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class OutagesTest {

    @Test
    void connectionFailuresAreOutagesWhereverTheyAreWrapped() {
        // What pgjdbc throws for a refused connection (08001) and a broken one (08006).
        assertTrue(Outages.isOutage(new SQLException("Connection to 127.0.0.1:18399 refused", "08001")));
        assertTrue(Outages.isOutage(new IllegalStateException("could not list robots",
                new SQLException("An I/O error occurred while sending to the backend", "08006"))));
        assertTrue(Outages.isOutage(new RuntimeException(new IllegalStateException(new SQLTransientConnectionException("x")))));
        assertTrue(Outages.isOutage(new SQLException("terminating connection due to administrator command", "57P01")));
        assertTrue(Outages.isOutage(new SQLException("the database system is starting up", "57P03")));
        assertTrue(Outages.isOutage(new SQLException("too many connections", "53300")));
        assertTrue(Outages.isOutage(new ServiceUnavailableException("could not read", null)));
    }

    @Test
    void agroalsAcquisitionTimeoutIsAnOutage() {
        assertTrue(Outages.isOutage(new IllegalStateException(
                new SQLException("Acquisition timeout while waiting for new connection", new TimeoutException()))));
    }

    @Test
    void otherFailuresAreBugs() {
        assertFalse(Outages.isOutage(new IllegalStateException("could not create robot",
                new SQLException("duplicate key value violates unique constraint", "23505"))));
        assertFalse(Outages.isOutage(new SQLException("syntax error", "42601")));
        assertFalse(Outages.isOutage(new SQLException("no state")));
        assertFalse(Outages.isOutage(new NullPointerException()));
        assertFalse(Outages.isOutage(null));
    }

    @Test
    void aCauseCycleEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertFalse(Outages.isOutage(a));
    }
}
