package io.berth.auth.events;

import io.berth.security.credentials.RevocationListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Tells every auth and registry-api replica that a principal's credentials changed, so they
 * forget what they cached for it (docs/adr/0020): {@code pg_notify('berth_credentials', name)}.
 * Called inside the transaction that makes the change, PostgreSQL delivers it exactly when that
 * commits, and not at all if it rolls back.
 */
@ApplicationScoped
public class RevocationPublisher {

    private final DataSource db;

    public RevocationPublisher(DataSource db) {
        this.db = db;
    }

    /**
     * Announces that {@code principal} (a username or robot name, or one of the wildcards of
     * {@link RevocationListener}) must be checked afresh.
     *
     * @throws IllegalStateException if PostgreSQL cannot be told (the change then rolls back)
     */
    public void revoked(String principal) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, RevocationListener.CHANNEL);
            ps.setString(2, principal);
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("could not announce the revocation of " + principal + ": " + e.getMessage(), e);
        }
    }
}
