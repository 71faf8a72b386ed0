package io.berth.scanner.vulndb;

import java.time.Instant;
import java.util.List;

/**
 * One row of {@code vuln_imports}: an import, what it was given and what it did.
 *
 * @param status {@code running}, {@code succeeded} or {@code failed}
 * @param error why it failed, or null
 */
public record ImportRun(long id, String source, String kind, boolean fullExport, String status, String requestedBy,
        Instant startedAt, Instant finishedAt, long records, long added, long updated, long unchanged,
        long withdrawn, List<String> ecosystems, String error) {}
