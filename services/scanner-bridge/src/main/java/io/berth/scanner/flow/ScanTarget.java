package io.berth.scanner.flow;

import java.time.Instant;

/**
 * What one job scans: a manifest as registry-api stored it, and the scanner to scan it with.
 *
 * @param repository the full repository name ({@code team/app})
 * @param project the project's name
 * @param content the manifest's exact bytes, as pushed
 * @param trigger the job's trigger ({@code push}, {@code manual}, {@code project}, {@code all}, {@code rescan})
 */
public record ScanTarget(long jobId, String trigger, long manifestId, long repositoryId, String repository,
        String project, String digest, String mediaType, byte[] content, Instant pushedAt, ScannerRow scanner) {
}
