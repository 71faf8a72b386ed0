package io.berth.scanner.flow;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The rescan after a vulnerability-database import (called by
 * {@link io.berth.scanner.vulndb.VulnerabilityDb} in the import's own transaction, so the jobs
 * exist exactly when the new data is committed): every artifact with a report by the built-in
 * scanner gets a {@code rescan} job at the lowest priority. An artifact whose scan is running
 * then has no new job; its report, matched against the older data, is rescanned when it ends
 * ({@code ReportWriter.rescanIfOutdated}).
 */
public final class Rescans {

    private Rescans() {}

    /**
     * Queues the rescans, on the import's connection.
     *
     * @return how many jobs were queued
     */
    public static int afterImport(Connection c) throws SQLException {
        return ScanQueue.enqueueRescans(c);
    }
}
