package io.berth.scanner.flow;

import java.time.Instant;

/**
 * A {@code scan_jobs} row a worker has claimed.
 *
 * @param attempts this attempt's number (1 for the first)
 * @param owner the worker that holds it; every write of its end checks it still does
 */
public record ScanJob(long id, long manifestId, long scannerId, String trigger, int priority, int attempts,
        Instant createdAt, String owner) {
}
