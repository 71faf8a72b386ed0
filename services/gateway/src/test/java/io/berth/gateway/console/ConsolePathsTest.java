package io.berth.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsolePathsTest {

    @Test
    void theApisPrefixesAreReservedWithTheirBareSegment() {
        for (String path : List.of("/v2", "/v2/", "/v2/library/app/manifests/1", "/api", "/api/v1/openapi",
                "/service/token", "/.well-known/jwks.json", "/scanner/api/v1/metadata", "/q", "/q/health")) {
            assertTrue(ConsolePaths.reserved(path), path);
            assertFalse(ConsolePaths.page(path), path);
        }
        for (String path : List.of("/", "/v2x", "/apis", "/projects", "/quota", "/services", "/console/config.json")) {
            assertFalse(ConsolePaths.reserved(path), path);
        }
    }

    @Test
    void fileNamesAreStrict() {
        assertEquals(Optional.of("index.html"), ConsolePaths.fileName("/"));
        assertEquals(Optional.of("assets/app-1a2B_3.js"), ConsolePaths.fileName("/assets/app-1a2B_3.js"));
        assertEquals(Optional.of("favicon.svg"), ConsolePaths.fileName("/favicon.svg"));
        for (String path : List.of("", "//", "/assets/", "//favicon.svg", "/assets//app.js", "/../x", "/assets/../x",
                "/./x", "/.hidden", "/assets/.x", "/a\\b", "/a%2Fb", "/%2e%2e/x", "/a b", "/a:b", "/a?b", "assets/x.js")) {
            assertEquals(Optional.empty(), ConsolePaths.fileName(path), path);
        }
    }

    @Test
    void pagesAreExtensionlessWellFormedPathsOutsideAssets() {
        for (String path : List.of("/", "/projects", "/projects/", "/projects/library/repositories/a/b",
                "/projects/p/repositories/a/artifacts/sha256:" + "0f".repeat(32), "/callback", "/account",
                "/projects/p/repositories/team/web.app", "/projects/mirror/repositories/ghcr.io", "/x.php")) {
            assertTrue(ConsolePaths.page(path), path);
        }
        for (String path : List.of("/assets/nope.js", "/nope.js", "/favicon.ico", "/robots.txt", "/a/b/index.html",
                "/x.JSON", "/assets", "/assets/", "/assets/nope", "/projects/../admin", "/projects/./x", "/..",
                "//projects", "/projects//x", "/projects%2Fx", "/projects\\x", "/a%20b", "/.env", "/projects/.git",
                "projects", "")) {
            assertFalse(ConsolePaths.page(path), path);
        }
    }
}
