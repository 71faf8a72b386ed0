package io.berth.gc.retention;

import java.util.ArrayList;
import java.util.List;

/**
 * What a retention run does in a project: per repository that some enabled rule selects, each
 * artifact retained or deleted with its reason; and the repositories no enabled rule selects,
 * which it leaves alone. Both ordered by repository path.
 *
 * @param repositories the repositories in scope, in order of their path
 * @param untouched the paths of the project's repositories out of scope, in order
 */
public record RetentionPlan(List<RepositoryPlan> repositories, List<String> untouched) {

    public RetentionPlan {
        repositories = List.copyOf(repositories);
        untouched = List.copyOf(untouched);
    }

    /** How many artifacts in scope it retains. */
    public int retainedCount() {
        return repositories.stream().mapToInt(RepositoryPlan::retainedCount).sum();
    }

    /** How many artifacts it deletes. */
    public int deletedCount() {
        return repositories.stream().mapToInt(RepositoryPlan::deletedCount).sum();
    }

    /** Every artifact to delete, repository by repository, newest push first. */
    public List<Decision> deletions() {
        List<Decision> all = new ArrayList<>();
        for (RepositoryPlan r : repositories) {
            all.addAll(r.deletions());
        }
        return all;
    }
}
