package io.berth.registry.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Writes {@code manifests.last_pulled_at} for batches of pulls recorded in memory. */
@ApplicationScoped
public class PullRepository {

    // Arrays rather than a VALUES tuple per row: one statement text for any batch size, and no
    // limit from the protocol's 65,535 parameters (the batch holds one row per manifest
    // pulled). The condition keeps the time monotonic when replicas flush out of order.
    private static final String UPDATE = """
            UPDATE manifests SET last_pulled_at = v.t
            FROM (SELECT id, timestamptz 'epoch' + ms * interval '1 millisecond' AS t
                  FROM unnest(?::bigint[], ?::bigint[]) AS u(id, ms)) v
            WHERE manifests.id = v.id AND (last_pulled_at IS NULL OR last_pulled_at < v.t)""";

    private final DataSource db;

    public PullRepository(DataSource db) {
        this.db = db;
    }

    /**
     * Moves {@code last_pulled_at} of each manifest {@code ids[i]} forward to
     * {@code epochMillis[i]}; never back. Ids of manifests deleted since are ignored.
     *
     * @return the number of manifests updated
     * @throws MetadataUnavailableException if the database cannot be written
     */
    public int updateLastPulled(Long[] ids, Long[] epochMillis) {
        if (ids.length == 0) {
            return 0;
        }
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(UPDATE)) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            ps.setArray(2, c.createArrayOf("bigint", epochMillis));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.failure("update last pull times", e);
        }
    }
}
