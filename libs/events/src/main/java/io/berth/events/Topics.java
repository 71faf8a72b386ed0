package io.berth.events;

/**
 * The Kafka topics berth writes. Every service names a topic through these constants, so a
 * rename is one change. Outside consumers (a SIEM, ELK) subscribe to the same names.
 */
public final class Topics {

    /** Artifact pushes, deletes, tag deletes and pulls; keyed by repository, so per-repository order holds. */
    public static final String ARTIFACTS = "berth.artifacts";

    /** Logins, failed logins and every management change (projects, members, robots). */
    public static final String AUDIT = "berth.audit";

    /** Scan results from scanner-bridge. */
    public static final String SCANS = "berth.scans";

    private Topics() {}
}
