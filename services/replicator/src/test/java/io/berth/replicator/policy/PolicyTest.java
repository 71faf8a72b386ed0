package io.berth.replicator.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.replicator.policy.Policy.Direction;
import io.berth.replicator.policy.Policy.TriggerType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where a policy puts a source repository ({@link Policy#destinationRepository}). */
class PolicyTest {

    private static Policy policy(String namespace, int flatten) {
        return new Policy(1, "p", null, true, Direction.PUSH, 1, Filters.ALL_ARTIFACTS, namespace, flatten, true,
                false, TriggerType.MANUAL, null, 0, "admin", null, "admin", null);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        "library, 0, myapp/web/frontend, library/myapp/web/frontend",
        "library, 1, myapp/web/frontend, library/web/frontend",
        "library, 2, myapp/web/frontend, library/frontend",
        "library, -1, myapp/web/frontend, library/frontend",
        "library, 5, myapp/web, library/web",
        "library, 1, nginx, library/nginx",
        "team/mirror, 1, myapp/web, team/mirror/web",
        "-, 0, myapp/web, myapp/web",
        "-, 1, myapp/web/frontend, web/frontend",
        "-, -1, myapp/web/frontend, frontend",
        "'', 0, myapp/web, myapp/web",
    })
    void destinationRepository(String namespace, int flatten, String source, String expected) {
        assertEquals(expected, policy(namespace, flatten).destinationRepository(source));
    }
}
