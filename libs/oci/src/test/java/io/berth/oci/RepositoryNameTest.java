package io.berth.oci;

import static io.berth.oci.Assertions2.assertRegistryError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryNameTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "a", "nginx", "library/nginx", "team/app/component", "a/b/c/d/e/f",
        "a.b", "a_b", "a__b", "a-b", "a--b", "a---------b", "0", "9lives/x1",
        "my-team/my.app_v2__x", "a.b.c/d-e-f/g_h",
    })
    void acceptsValidNames(String s) {
        assertEquals(s, RepositoryName.parse(s).value());
        assertEquals(s, RepositoryName.parse(s).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "A", "Library/nginx", "library/Nginx",
        "a/../b", "..", "../a", "a/..", "a/./b", ".", "a..b",
        "a//b", "/a", "a/", "/",
        "%2e%2e", "a/%2e%2e/b", "a%2fb",
        "a___b", "a_-b", "a-.b", "a.-b", "a._b",
        "-a", "_a", ".a", "a-", "a_", "a.", "a__",
        "a b", "a:b", "a@b", "a\\b", "a\u00e9", "a\nb", "a/b\u0000",
    })
    void rejectsInvalidNames(String s) {
        assertRegistryError(RegistryErrorCode.NAME_INVALID, () -> RepositoryName.parse(s));
    }

    @Test
    void rejectsNull() {
        assertRegistryError(RegistryErrorCode.NAME_INVALID, () -> RepositoryName.parse(null));
    }

    @Test
    void lengthLimitIs255() {
        String max = "a/" + "b".repeat(253);
        assertEquals(255, max.length());
        assertEquals(max, RepositoryName.parse(max).value());
        String over = max + "c";
        RegistryException e = assertRegistryError(RegistryErrorCode.NAME_INVALID, () -> RepositoryName.parse(over));
        assertTrue(e.detail().toString().contains("255"), e.detail().toString());
    }

    @Test
    void projectAndPath() {
        RepositoryName nested = RepositoryName.parse("team/app/component");
        assertEquals("team", nested.project());
        assertEquals("app/component", nested.path());

        RepositoryName two = RepositoryName.parse("library/nginx");
        assertEquals("library", two.project());
        assertEquals("nginx", two.path());

        RepositoryName single = RepositoryName.parse("nginx");
        assertEquals("nginx", single.project());
        assertEquals("", single.path());
    }

    @Test
    void detailsSayWhatIsWrong() {
        assertDetailContains("A", "lowercase");
        assertDetailContains("a//b", "empty path component");
        assertDetailContains("a/", "must not end with '/'");
        assertDetailContains("/a", "must not start with '/'");
        assertDetailContains("%2e%2e", "invalid character '%'");
        assertDetailContains("a___b", "separator");
    }

    @Test
    void hostileLongInputIsRejectedQuickly() {
        String hostile = "a" + "-".repeat(9_998) + "!";
        assertEquals(10_000, hostile.length());
        assertTimeoutPreemptively(Duration.ofMillis(500), () -> {
            for (int i = 0; i < 1_000; i++) {
                assertRegistryError(RegistryErrorCode.NAME_INVALID, () -> RepositoryName.parse(hostile));
            }
        });
    }

    @Test
    void scanIsLinearEvenPastTheLengthLimit() {
        // Shapes that make a backtracking regex for this grammar explode: long runs of
        // components and separators followed by one bad character at the very end.
        String[] hostile = {
            "a-".repeat(500_000) + "!",
            "a_".repeat(500_000) + "_",
            ("a" + "-".repeat(50) ).repeat(20_000) + "A",
            "a/".repeat(500_000) + "/",
            "a".repeat(1_000_000) + "..",
        };
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            for (String s : hostile) {
                assertNotNull(RepositoryName.violation(s));
            }
        });
        assertNull(RepositoryName.violation("a-b".repeat(300_000).replace("ba", "b/a")));
    }

    private static void assertDetailContains(String name, String expected) {
        RegistryException e = assertRegistryError(RegistryErrorCode.NAME_INVALID, () -> RepositoryName.parse(name));
        assertTrue(e.detail().toString().contains(expected), () -> name + ": " + e.detail());
    }
}
