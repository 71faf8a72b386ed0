package io.berth.gc.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.security.policy.ImmutableTagRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seed's clean-up example, "keep the last 3 builds of myapp/frontend", as the one-rule
 * policy ADR 0029 shows (the JSON here is the JSON there).
 */
class RetentionSeedExampleTest {

    static final String KEEP_LAST_3_BUILDS_OF_FRONTEND = """
            {"rules":[{"template":"latestPushedK","params":{"count":3},
                       "repositories":{"decoration":"repoMatches","pattern":"frontend"},
                       "tags":{"decoration":"matches","pattern":"**","untagged":false}}]}""";

    static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");

    @Test
    void theThreeNewestBuildsOfFrontendStayAndTheRestOfTheProjectIsUntouched() {
        RetentionPolicy policy = RetentionPolicy.fromJson(KEEP_LAST_3_BUILDS_OF_FRONTEND);
        List<Artifact> project = new ArrayList<>();
        // Project myapp: five builds of myapp/frontend, pushed a day apart, build-5 the newest.
        for (int build = 1; build <= 5; build++) {
            project.add(new Artifact("frontend", "sha256:frontend-" + build, List.of("build-" + build),
                    NOW.minus(Duration.ofDays(6 - build)), null));
        }
        // Other repositories of myapp, old and many: no rule selects them.
        for (int build = 1; build <= 5; build++) {
            project.add(new Artifact("backend", "sha256:backend-" + build, List.of("build-" + build),
                    NOW.minus(Duration.ofDays(100 + build)), null));
        }
        project.add(new Artifact("frontend-e2e", "sha256:e2e", List.of("x"), NOW.minus(Duration.ofDays(300)), null));

        RetentionPlan plan = new Evaluator(policy, List.<ImmutableTagRule>of()).evaluate(NOW, project);

        assertEquals(1, plan.repositories().size());
        RepositoryPlan frontend = plan.repositories().get(0);
        assertEquals("frontend", frontend.repository());
        assertEquals(List.of("build-5 retained: rule 1: the 3 most recently pushed",
                "build-4 retained: rule 1: the 3 most recently pushed",
                "build-3 retained: rule 1: the 3 most recently pushed",
                "build-2 deleted: no rule retains it",
                "build-1 deleted: no rule retains it"),
                frontend.decisions().stream().map(d -> d.artifact().tags().get(0)
                        + (d.retained() ? " retained: " : " deleted: ") + d.reason()).toList());
        assertEquals(List.of("backend", "frontend-e2e"), plan.untouched());
        assertEquals(2, plan.deletedCount());
    }
}
