package io.berth.scanner.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.scanner.model.Ecosystem;
import org.junit.jupiter.api.Test;

/** Releases as OSV's ecosystem strings write them ("Alpine:v3.19", "Rocky Linux:9"). */
class OsReleaseTest {

    @Test
    void releasesInOsvForm() {
        assertEquals("12", new OsRelease("debian", "12").release());
        assertEquals("22.04", new OsRelease("ubuntu", "22.04").release());
        assertEquals("v3.19", new OsRelease("alpine", "3.19.1").release());
        assertEquals("v3.20", new OsRelease("alpine", "3.20").release());
        assertEquals("9", new OsRelease("rocky", "9.3").release());
        assertEquals("8", new OsRelease("almalinux", "8.9").release());
        assertEquals("9", new OsRelease("rhel", "9.4").release());
        assertNull(new OsRelease("debian", null).release(), "Debian testing has no VERSION_ID");
    }

    @Test
    void ecosystems() {
        assertEquals(Ecosystem.DEBIAN, new OsRelease("debian", "12").ecosystem().orElseThrow());
        assertEquals(Ecosystem.ALMA, new OsRelease("almalinux", "9").ecosystem().orElseThrow());
        assertEquals(Ecosystem.RED_HAT, new OsRelease("rhel", "9").ecosystem().orElseThrow());
        assertTrue(new OsRelease("arch", null).ecosystem().isEmpty());
    }
}
