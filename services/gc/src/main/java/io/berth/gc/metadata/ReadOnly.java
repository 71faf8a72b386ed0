package io.berth.gc.metadata;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Read-only mode (ADR 0022, auth's {@code system_settings.read_only}) stops gc's deletes as it
 * stops a user's: every deleting transaction checks it first, so a batch that starts after an
 * administrator turned it on deletes nothing, and a run ends {@code stopped} at that batch.
 */
public final class ReadOnly {

    /** A delete refused because berth is read-only. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private ReadOnly() {}

    /** Throws {@link Refused} if berth is read-only; call inside the deleting transaction. */
    public static void refuse(Connection c, String what) throws SQLException {
        try (var ps = c.prepareStatement("SELECT read_only FROM system_settings"); var rs = ps.executeQuery()) {
            if (rs.next() && rs.getBoolean(1)) {
                throw new Refused("berth is read-only for maintenance; " + what
                        + " deletes nothing until an administrator ends it");
            }
        }
    }

    /** Whether berth is read-only now. */
    public static boolean on(DataSource db) {
        return Db.statements(db, "read the read-only setting", c -> {
            try (var ps = c.prepareStatement("SELECT read_only FROM system_settings"); var rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        });
    }
}
