package io.berth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScopeTest {

    @Test
    void parsesRepositoryScope() {
        Scope s = Scope.parse("repository:library/nginx:pull,push");
        assertEquals("repository", s.type());
        assertEquals("library/nginx", s.name());
        assertEquals(List.of("pull", "push"), List.copyOf(s.actions()));
        assertTrue(s.has("push"));
        assertFalse(s.has("delete"));
    }

    @Test
    void nameMayContainAHostWithPort() {
        Scope s = Scope.parse("repository:localhost:5000/foo:pull");
        assertEquals("repository", s.type());
        assertEquals("localhost:5000/foo", s.name());
        assertEquals(Set.of("pull"), s.actions());
        assertEquals("repository:localhost:5000/foo:pull", s.toString());
    }

    @Test
    void registryCatalogWildcard() {
        Scope s = Scope.parse("registry:catalog:*");
        assertEquals("registry", s.type());
        assertEquals("catalog", s.name());
        assertEquals(Set.of("*"), s.actions());
        assertEquals("registry:catalog:*", s.toString());
    }

    @Test
    void typeMayCarryAClass() {
        assertEquals("repository(plugin)", Scope.parse("repository(plugin):vieux/sshfs:pull").type());
    }

    @Test
    void repeatedActionsAreDeduplicatedKeepingOrder() {
        Scope s = Scope.parse("repository:a/b:push,pull,push,pull");
        assertEquals(List.of("push", "pull"), List.copyOf(s.actions()));
        assertEquals("repository:a/b:push,pull", s.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "repository:library/nginx:pull",
        "repository:library/nginx:pull,push",
        "repository:library/nginx:delete,pull,push",
        "repository:team/app/component:*",
        "repository:localhost:5000/foo:pull,push",
        "registry:catalog:*",
        "repository:a/b:",
    })
    void toStringRoundTrips(String wire) {
        Scope s = Scope.parse(wire);
        assertEquals(wire, s.toString());
        assertEquals(s, Scope.parse(s.toString()));
    }

    @Test
    void emptyActionPartMeansNoActions() {
        assertTrue(Scope.parse("repository:a/b:").actions().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "repository", "repository:foo", ":foo:pull", "repository::pull",
        "repository:foo:pull,,push", "repository:foo:pull,", "repository:foo:,pull",
        "repository:foo:PULL", "repository:foo:pull push", "repository:foo:pu11",
        "Repository:foo:pull", "repo sitory:foo:pull", "repository:fo o:pull",
        "repository:foo\n:pull", "repository(:foo:pull", "repository(plugin:foo:pull",
        "repository:a,b:pull", "repository:foo:-pull", "repository:foo:scanner-",
        "repository:foo:scanner--pull", "repository:foo:scanner_pull",
    })
    void rejectsInvalidScopes(String s) {
        assertThrows(IllegalArgumentException.class, () -> Scope.parse(s));
    }

    @Test
    void hyphenatedActionsAreWords() {
        Scope s = Scope.parse("repository:team/app:pull,scanner-pull");
        assertEquals(List.of("pull", "scanner-pull"), List.copyOf(s.actions()));
        assertEquals("repository:team/app:pull,scanner-pull", s.toString());
    }

    @Test
    void rejectsNull() {
        assertThrows(IllegalArgumentException.class, () -> Scope.parse(null));
        assertThrows(IllegalArgumentException.class, () -> new Scope("repository", "a", null));
    }

    @Test
    void actionsAreAnUnmodifiableCopy() {
        Set<String> mine = new LinkedHashSet<>(List.of("pull"));
        Scope s = new Scope("repository", "a/b", mine);
        mine.add("push");
        assertEquals(Set.of("pull"), s.actions());
        assertThrows(UnsupportedOperationException.class, () -> s.actions().add("push"));
    }

    @Test
    void developerAskingForWildcardGetsExactlyPullAndPush() {
        Scope granted = Scope.parse("repository:team/app:*").intersect(ProjectRole.DEVELOPER.scopeActions());
        assertEquals(List.of("pull", "push"), List.copyOf(granted.actions()));
        assertEquals("repository:team/app:pull,push", granted.toString());
    }

    @Test
    void intersectionKeepsOnlyAllowedActions() {
        Scope request = Scope.parse("repository:team/app:pull,push,delete");
        assertEquals("repository:team/app:pull,push,delete",
                request.intersect(ProjectRole.PROJECT_ADMIN.scopeActions()).toString());
        assertEquals("repository:team/app:pull,push,delete",
                request.intersect(ProjectRole.MAINTAINER.scopeActions()).toString());
        assertEquals("repository:team/app:pull,push",
                request.intersect(ProjectRole.DEVELOPER.scopeActions()).toString());
        assertEquals("repository:team/app:pull", request.intersect(ProjectRole.GUEST.scopeActions()).toString());
        assertEquals("repository:team/app:pull",
                request.intersect(ProjectRole.LIMITED_GUEST.scopeActions()).toString());
    }

    @Test
    void intersectionCanBeEmpty() {
        Scope granted = Scope.parse("repository:team/app:push,delete").intersect(ProjectRole.GUEST.scopeActions());
        assertTrue(granted.actions().isEmpty());
        assertEquals("repository:team/app:", granted.toString());
        assertTrue(Scope.parse("repository:team/app:*").intersect(Set.of()).actions().isEmpty());
    }

    @Test
    void wildcardExpandsAlongsideExplicitActionsWithoutDuplicates() {
        Scope granted = Scope.parse("repository:a/b:pull,*").intersect(ProjectRole.MAINTAINER.scopeActions());
        assertEquals(List.of("pull", "push", "delete"), List.copyOf(granted.actions()));
    }

    @Test
    void allowedWildcardIsLiteralOnly() {
        assertEquals(Set.of("*"), Scope.parse("registry:catalog:*").intersect(Set.of("*")).actions());
        assertTrue(Scope.parse("registry:catalog:pull").intersect(Set.of("*")).actions().isEmpty());
    }

    @Test
    void intersectKeepsTypeAndName() {
        Scope granted = Scope.parse("repository:localhost:5000/foo:pull,push").intersect(Set.of("pull"));
        assertEquals("repository", granted.type());
        assertEquals("localhost:5000/foo", granted.name());
        assertThrows(NullPointerException.class, () -> granted.intersect(null));
    }
}
