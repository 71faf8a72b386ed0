package io.berth.replicator.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The scopes a token is asked for: one per resource, whatever order the challenge names actions in. */
class RemoteAuthScopesTest {

    private static Challenge challenge(String scope) {
        return Challenge.parse("Bearer realm=\"https://auth.example/token\",service=\"registry\",scope=\"" + scope + "\"")
                .orElseThrow();
    }

    @Test
    void aResourceNamedTwiceIsAskedOnceWithTheUnionOfItsActions() {
        // distribution 2.8 names a mount's actions as "push,pull" or "pull,push" (a Go map's order)
        assertEquals(List.of("repository:flow/app:pull", "repository:flow/other:pull,push"),
                RemoteAuth.scopes(challenge("repository:flow/other:push,pull repository:flow/app:pull"),
                        List.of("repository:flow/other:pull,push", "repository:flow/app:pull")));
        assertEquals(List.of("repository:a/b:delete,pull,push"),
                RemoteAuth.scopes(challenge("repository:a/b:delete"), List.of("repository:a/b:push,pull")));
    }

    @Test
    void aHostWithAPortInTheNameKeepsItsColons() {
        assertEquals(List.of("registry:catalog:*", "repository:host:5000/app:pull"),
                RemoteAuth.scopes(challenge("registry:catalog:*"), List.of("repository:host:5000/app:pull")));
    }
}
