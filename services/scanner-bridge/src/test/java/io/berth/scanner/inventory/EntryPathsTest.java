package io.berth.scanner.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EntryPathsTest {

    @Test
    void normalisesAsARuntimeResolvesInsideTheRoot() {
        assertEquals("var/lib/dpkg/status", EntryPaths.normalise("./var/lib/dpkg/status"));
        assertEquals("var/lib/dpkg/status", EntryPaths.normalise("/var//lib/./dpkg/status"));
        assertEquals("etc/passwd", EntryPaths.normalise("../../../etc/passwd"));
        assertEquals("etc/passwd", EntryPaths.normalise("a/b/../../../etc/passwd"));
        assertEquals("usr/lib", EntryPaths.normalise("usr/lib/"));
        assertEquals("", EntryPaths.normalise("./"));
        assertEquals("", EntryPaths.normalise(".."));
        assertEquals("a\\b", EntryPaths.normalise("a\\b"), "a backslash is a character of the name on Linux");
    }

    @Test
    void parentAndFileName() {
        assertEquals("var/lib/dpkg", EntryPaths.parent("var/lib/dpkg/status"));
        assertEquals("", EntryPaths.parent("status"));
        assertEquals("status", EntryPaths.fileName("var/lib/dpkg/status"));
    }
}
