package io.berth.replicator.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.replicator.policy.Filters.Kind;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Doublestar globs, tags, platforms and kinds of {@link Filters}: pure logic. */
class FiltersTest {

    private static Filters repos(String... patterns) {
        return new Filters(List.of(patterns), List.of(), List.of(), Set.of(), List.of(), false);
    }

    @ParameterizedTest
    @CsvSource({
        "team/*, team/app, true",
        "team/*, team/app/web, false",
        "team/*, other/app, false",
        "team/**, team/app, true",
        "team/**, team/app/web/x, true",
        "team/**, team, false",
        "**/web, team/app/web, true",
        "**/web, web, false",
        "**, anything/at/all, true",
        "team/ap?, team/app, true",
        "team/ap?, team/ap/, false",
        "team/ap?, team/apps, false",
        "'team/{app,web}', team/web, true",
        "'team/{app,web}', team/db, false",
        "'{a,b}/{c,d}', b/c, true",
        "team/a.b, team/axb, false",
    })
    void repositoryGlobs(String pattern, String repository, boolean matches) {
        assertEquals(matches, repos(pattern).matchesRepository(repository), pattern + " ~ " + repository);
    }

    @Test
    void noRepositoryPatternMeansEveryRepository() {
        assertTrue(repos().matchesRepository("any/thing"));
        assertTrue(repos("a/**", "b/*").matchesRepository("b/x"));
        assertFalse(repos("a/**", "b/*").matchesRepository("c/x"));
    }

    @Test
    void tagsAreIncludedThenExcluded() {
        Filters f = new Filters(List.of(), List.of("v*", "latest"), List.of("*-rc*"), Set.of(), List.of(), false);
        assertTrue(f.matchesTag("v1.2"));
        assertTrue(f.matchesTag("latest"));
        assertFalse(f.matchesTag("v1.2-rc1"));
        assertFalse(f.matchesTag("dev"));
        Filters excludeOnly = new Filters(List.of(), List.of(), List.of("dev-*"), Set.of(), List.of(), false);
        assertTrue(excludeOnly.matchesTag("1.0"));
        assertFalse(excludeOnly.matchesTag("dev-7"));
    }

    @Test
    void platforms() {
        Filters f = new Filters(List.of(), List.of(), List.of(), Set.of(), List.of("linux/amd64", "linux/arm64/v8"), false);
        assertTrue(f.matchesPlatform("linux", "amd64", null));
        assertTrue(f.matchesPlatform("linux", "arm64", "v8"));
        assertFalse(f.matchesPlatform("linux", "arm64", "v7"));
        assertFalse(f.matchesPlatform("windows", "amd64", null));
        assertTrue(f.matchesPlatform(null, null, null), "a child without a platform is always copied");
        assertTrue(Filters.ALL_ARTIFACTS.matchesPlatform("linux", "s390x", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "team/{a,b", "team/a}", "team/[abc", "team/a+b", "team/a\\*b", })
    void badPatternsAreRefusedWithAReason(String pattern) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Filters.checkPattern(pattern));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void longPatternsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Filters.checkPattern("a".repeat(256)));
        Filters.checkPattern("a".repeat(255));
        assertThrows(IllegalArgumentException.class, () -> Filters.checkPattern(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux/amd64", "linux/arm64/v8", "windows/amd64"})
    void goodPlatforms(String platform) {
        Filters.checkPlatform(platform);
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux", "Linux/amd64", "linux/amd64/v8/x", "linux//amd64", "linux/amd 64"})
    void badPlatforms(String platform) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Filters.checkPlatform(platform));
        assertTrue(e.getMessage().contains("os/architecture"), e.getMessage());
    }

    @Test
    void kindOfAnArtifact() {
        String oci = "application/vnd.oci.image.manifest.v1+json";
        assertEquals(Kind.IMAGES, Filters.kindOf(oci, null, false));
        assertEquals(Kind.IMAGES, Filters.kindOf(oci, "application/vnd.oci.image.config.v1+json", false));
        assertEquals(Kind.IMAGES, Filters.kindOf("application/vnd.docker.distribution.manifest.v2+json",
                "application/vnd.docker.container.image.v1+json", false));
        assertEquals(Kind.IMAGES, Filters.kindOf("application/vnd.oci.image.index.v1+json", null, false));
        assertEquals(Kind.IMAGES, Filters.kindOf("application/vnd.docker.distribution.manifest.list.v2+json", null, false));
        assertEquals(Kind.CHARTS, Filters.kindOf(oci, "application/vnd.cncf.helm.config.v1+json", false));
        assertEquals(Kind.REFERRERS, Filters.kindOf(oci, "application/vnd.dev.cosign.artifact.sig.v1+json", true));
        assertEquals(Kind.REFERRERS, Filters.kindOf(oci, null, true), "a subject makes a referrer, whatever its type");
        assertEquals(Kind.ALL, Filters.kindOf(oci, "application/vnd.example.thing.v1", false));
    }

    @Test
    void kindsSelect() {
        Filters images = new Filters(List.of(), List.of(), List.of(), EnumSet.of(Kind.IMAGES), List.of(), false);
        assertTrue(images.matchesKind(Kind.IMAGES));
        assertFalse(images.matchesKind(Kind.CHARTS));
        assertFalse(images.matchesKind(Kind.ALL), "an artifact of another type needs kind all");
        assertFalse(images.referrers());
        Filters all = Filters.ALL_ARTIFACTS;
        assertTrue(all.matchesKind(Kind.CHARTS) && all.matchesKind(Kind.ALL) && all.referrers());
        assertEquals(EnumSet.of(Kind.ALL), new Filters(List.of(), List.of(), List.of(), Set.of(), List.of(), false).kinds(),
                "no kinds means all");
    }
}
