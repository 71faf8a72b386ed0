package io.berth.gateway.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleFilesTest {

    @Test
    void aDirectoryOnTheClasspathIsReadWithItsVariants() {
        ConsoleFiles files = ConsoleFiles.load(getClass().getClassLoader(), "console-fixture/");
        ConsoleFile index = files.get("index.html").orElseThrow();
        assertEquals("text/html; charset=utf-8", index.contentType());
        assertNotNull(index.gzip());
        assertNotNull(index.br());
        assertTrue(files.get("assets/app-3f2a1b.js").isPresent());
        // Variants are not files of their own; a hidden file is not served.
        assertTrue(files.get("index.html.gz").isEmpty());
        assertTrue(files.get(".hidden").isEmpty());
        assertNull(files.get("robots.txt").orElseThrow().gzip());
        assertEquals(6, files.size());
    }

    @Test
    void aJarIsReadAsTheBuildPacksIt(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("berth-console.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/berth-console/"));
            put(out, "META-INF/berth-console/index.html", "<!doctype html><title>jar</title>");
            put(out, "META-INF/berth-console/index.html.br", "not really brotli");
            put(out, "META-INF/berth-console/assets/app-abc.js", "export {};");
            put(out, "META-INF/berth-console/.DS_Store", "junk");
            put(out, "META-INF/other/secret.txt", "not the console's");
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            ConsoleFiles files = ConsoleFiles.load(loader, "META-INF/berth-console");
            assertEquals(2, files.size());
            ConsoleFile index = files.get("index.html").orElseThrow();
            assertArrayEquals("<!doctype html><title>jar</title>".getBytes(StandardCharsets.UTF_8),
                    index.identity().bytes().getBytes());
            assertEquals("br", index.br().coding());
            assertNull(index.gzip());
            assertEquals("text/javascript; charset=utf-8", files.get("assets/app-abc.js").orElseThrow().contentType());
        }
    }

    @Test
    void aFolderThatIsNotThereIsNoConsole() {
        assertEquals(0, ConsoleFiles.load(getClass().getClassLoader(), "no-console-here").size());
    }

    private static void put(JarOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
