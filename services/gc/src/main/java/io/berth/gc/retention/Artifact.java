package io.berth.gc.retention;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A top-level artifact as retention sees it: a manifest of a repository with its tags. Index
 * children and subject referrers (signatures, SBOMs) are not artifacts here: they follow their
 * parent, retained or deleted with it.
 *
 * @param repository the repository's path within its project: {@code frontend} for
 *     {@code myapp/frontend}, {@code app/api} for {@code team/app/api}
 * @param digest the manifest's digest, unique within the repository
 * @param tags its tags in the repository, possibly none (null is none); kept sorted, so reasons
 *     are stable
 * @param pushedAt when it was pushed; Harbor takes the latest of the manifest's push and its tags'
 *     pushes, so that re-tagging an old build counts as pushing it
 * @param lastPulledAt when it was last pulled (a manifest GET, ADR 0009), or null if never
 */
public record Artifact(String repository, String digest, List<String> tags, Instant pushedAt,
        Instant lastPulledAt) {

    public Artifact {
        if (repository == null || repository.isEmpty()) {
            throw new IllegalArgumentException("an artifact needs its repository");
        }
        if (digest == null || digest.isEmpty()) {
            throw new IllegalArgumentException("an artifact in " + repository + " needs its digest");
        }
        if (pushedAt == null) {
            throw new IllegalArgumentException("artifact " + digest + " in " + repository + " needs pushedAt");
        }
        if (tags == null || tags.isEmpty()) {
            tags = List.of();
        } else {
            if (tags.stream().anyMatch(t -> t == null || t.isEmpty())) {
                throw new IllegalArgumentException("artifact " + digest + " in " + repository + " has an empty tag");
            }
            List<String> sorted = new ArrayList<>(tags);
            Collections.sort(sorted);
            tags = Collections.unmodifiableList(sorted);
        }
    }

    /** Whether it has no tag. */
    public boolean untagged() {
        return tags.isEmpty();
    }
}
