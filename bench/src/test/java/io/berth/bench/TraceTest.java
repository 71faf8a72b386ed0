package io.berth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceTest {

    @Test
    void aDownloadIsOneLineOfRegistryPortBytesStartAndDuration(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trace.txt");
        try (Trace trace = Trace.to(file)) {
            assertTrue(trace.on());
            long now = System.nanoTime();
            trace.download("berth", 40312, 104_857_600, now, now + 250_500_000);
            trace.download("distribution", 40313, 1024, now, now + 1_000_000);
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        String[] first = lines.get(0).split(" ");
        assertEquals(List.of("berth", "40312", "104857600"), List.of(first).subList(0, 3));
        assertEquals(250.5, Double.parseDouble(first[4]), 0.05);
        assertTrue(Double.parseDouble(first[3]) >= 0, "the start counts from the trace's opening");
        assertTrue(lines.get(1).startsWith("distribution 40313 1024 "));
    }

    @Test
    void withoutAFileNothingIsRecorded() {
        assertFalse(Trace.to(null).on());
        Trace.OFF.download("berth", 1, 1, 0, 1);
        Trace.OFF.close();
    }
}
