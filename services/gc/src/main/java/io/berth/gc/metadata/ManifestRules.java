package io.berth.gc.metadata;

/** The SQL conditions on a manifest {@code m} that gc's untagged rule and retention share. */
final class ManifestRules {

    /**
     * Top-level: no index of its repository references it, and it has no subject in its
     * repository (a referrer whose subject is gone counts as top-level: it goes with its image).
     */
    static final String TOP_LEVEL = """
            NOT EXISTS (SELECT 1 FROM manifest_references mr JOIN manifests p ON p.id = mr.manifest_id
                WHERE mr.kind = 'manifest' AND mr.digest = m.digest AND p.repository_id = m.repository_id)
            AND (m.subject_digest IS NULL OR NOT EXISTS (SELECT 1 FROM manifests s
                WHERE s.repository_id = m.repository_id AND s.digest = m.subject_digest))""";

    private ManifestRules() {}
}
