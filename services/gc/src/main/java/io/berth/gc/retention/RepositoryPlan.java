package io.berth.gc.retention;

import java.util.List;

/**
 * What retention does in one repository a rule selects: every artifact of it, newest push first
 * (then by digest), each retained or deleted with its reason.
 *
 * @param repository the repository's path within its project
 * @param decisions one per artifact
 */
public record RepositoryPlan(String repository, List<Decision> decisions) {

    public RepositoryPlan {
        decisions = List.copyOf(decisions);
    }

    /** How many it retains. */
    public int retainedCount() {
        int n = 0;
        for (Decision d : decisions) {
            if (d.retained()) {
                n++;
            }
        }
        return n;
    }

    /** How many it deletes. */
    public int deletedCount() {
        return decisions.size() - retainedCount();
    }

    /** The decisions to delete, in order. */
    public List<Decision> deletions() {
        return decisions.stream().filter(d -> !d.retained()).toList();
    }
}
