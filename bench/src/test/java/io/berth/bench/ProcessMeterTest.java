package io.berth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessMeterTest {

    @Test
    void cpuTicksAreCountedFromTheLastParenthesisOfTheCommand() {
        // A command name may hold spaces and parentheses (field 2); utime 1234 and stime 56 follow.
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 56 0 0 20 0 40 0 99";
        assertEquals(1290, ProcessMeter.parseCpuTicks(stat));
    }

    @Test
    void thisProcessIsMeteredAndAGoneOneReadsAsNotANumber() throws Exception {
        long self = ProcessHandle.current().pid();
        try (ProcessMeter meter = new ProcessMeter(Map.of("self", self, "gone", Long.MAX_VALUE))) {
            long until = System.nanoTime() + 300_000_000L;
            long spin = 0;
            while (System.nanoTime() < until) {
                spin += System.identityHashCode(new Object()); // burn some CPU
            }
            assertTrue(spin != 42);
            double cpu = meter.cpuSeconds().get("self");
            assertTrue(cpu >= 0.1 && cpu < 30, "CPU seconds of a 0.3 s spin: " + cpu);
            assertTrue(meter.rssPeakMib().get("self") > 1);
            assertTrue(Double.isNaN(meter.cpuSeconds().get("gone")));
            assertTrue(Double.isNaN(meter.rssPeakMib().get("gone")));
        }
    }

    @Test
    void childrenTicksAreFieldsSixteenAndSeventeen() {
        // utime 1234, stime 56, then the ended children's cutime 7 and cstime 3.
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 56 7 3 20 0 40 0 99";
        assertEquals(10, ProcessMeter.parseChildrenTicks(stat));
        assertEquals(0.1, ProcessMeter.seconds(0, 10), 1e-9);
        assertTrue(Double.isNaN(ProcessMeter.seconds(-1, 10)));
    }

    @Test
    void aChildsCpuIsCountedOnceItHasBeenWaitedFor() throws Exception {
        long before = ProcessMeter.endedChildrenTicks();
        // About 0.4 s of a shell's CPU on these machines.
        Process child = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 600000 ]; do i=$((i+1)); done").start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS));
        double cpu = ProcessMeter.seconds(before, ProcessMeter.endedChildrenTicks());
        assertTrue(cpu >= 0.1 && cpu < 120, "CPU seconds of a child's busy loop: " + cpu);
    }
}
