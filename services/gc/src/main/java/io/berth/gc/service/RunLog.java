package io.berth.gc.service;

import io.berth.gc.metadata.RunRepository;
import org.jboss.logging.Logger;

/**
 * The log of one run: each line goes to the service's log and to {@code gc_run_log}, where
 * {@code GET /api/v1/system/gc/{id}/log} reads it. Past {@code max} lines only the service's log
 * gets them, and the stored log says how many were left out. A line that cannot be stored (the
 * database is failing) is only logged: the run's outcome says what happened.
 */
final class RunLog {

    private static final Logger LOG = Logger.getLogger("io.berth.gc.run");

    private final RunRepository runs;
    private final long runId;
    private final int max;
    private int seq;
    private int skipped;

    RunLog(RunRepository runs, long runId, int max) {
        this.runs = runs;
        this.runId = runId;
        this.max = max;
    }

    synchronized void line(String format, Object... args) {
        String line = args.length == 0 ? format : String.format(format, args);
        LOG.infof("gc run %d: %s", runId, line);
        if (seq >= max - 1) {
            skipped++;
            return;
        }
        store(line);
    }

    /** The last line: says how many lines were only logged. */
    synchronized void close() {
        if (skipped > 0) {
            store(skipped + " more lines are only in the service's log");
        }
    }

    private void store(String line) {
        try {
            runs.log(runId, ++seq, line);
        } catch (RuntimeException e) {
            LOG.warnf("gc run %d: could not store a log line: %s", runId, e.getMessage());
        }
    }
}
