package io.berth.scanner.flow;

/**
 * Scans one artifact for a kind of scanner ({@code scanners.kind}): the plug-in point of the
 * flow. The workers pick the implementation whose {@link #kind()} is the job's scanner's kind;
 * {@link BuiltinScanner} is {@code builtin}, {@link AdapterScanner} (a Pluggable Scanner API
 * client) is {@code adapter}.
 *
 * <p>Implementations are called on a worker thread (blocking is fine), for image manifests only:
 * the flow itself scans an index through its children. They must not write the report; the
 * flow does, with the job's end, in one transaction.
 */
public interface ArtifactScanner {

    /** The {@code scanners.kind} this implementation scans for. */
    String kind();

    /**
     * The report of {@code target}.
     *
     * @throws ScanException when the artifact cannot be scanned: {@link ScanException#retryable()}
     *     says whether another attempt may succeed (the store or the database failed) or not (the
     *     artifact itself is bad)
     */
    ScanResult scan(ScanTarget target) throws ScanException;
}
