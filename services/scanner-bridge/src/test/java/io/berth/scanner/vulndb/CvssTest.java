package io.berth.scanner.vulndb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** CVSS base scores against the values NVD and the specifications' calculators give. */
class CvssTest {

    private static double v3(String vector) {
        return Cvss.score3(vector).orElseThrow();
    }

    @Test
    void cvss3BaseScores() {
        assertEquals(10.0, v3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), "CVE-2021-44228");
        assertEquals(9.8, v3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
        assertEquals(7.5, v3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"), "CVE-2020-36518");
        assertEquals(5.5, v3("CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N"));
        assertEquals(6.8, v3("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:N/A:N"), "the OSV schema's example");
        assertEquals(0.0, v3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"));
        assertEquals(6.1, v3("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), "the classic reflected XSS");
    }

    @Test
    void cvss2BaseScores() {
        assertEquals(7.5, Cvss.score2("AV:N/AC:L/Au:N/C:P/I:P/A:P").orElseThrow());
        assertEquals(5.4, Cvss.score2("AV:L/AC:M/Au:N/C:N/I:P/A:C").orElseThrow(), "the OSV schema's example");
        assertEquals(10.0, Cvss.score2("(AV:N/AC:L/Au:N/C:C/I:C/A:C)").orElseThrow());
    }

    @Test
    void whatIsNotAVectorHasNoScore() {
        assertTrue(Cvss.score3("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").isEmpty());
        assertTrue(Cvss.score3("CVSS:3.1/AV:N/AC:L").isEmpty());
        assertTrue(Cvss.score3("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").isEmpty());
        assertTrue(Cvss.score3(null).isEmpty());
        assertTrue(Cvss.score2("AV:N/AC:L").isEmpty());
        assertTrue(Cvss.score2("garbage").isEmpty());
    }

    @Test
    void levels() {
        assertEquals(Severity.CRITICAL, Severity.ofCvss3(9.0));
        assertEquals(Severity.HIGH, Severity.ofCvss3(8.9));
        assertEquals(Severity.MEDIUM, Severity.ofCvss3(4.0));
        assertEquals(Severity.LOW, Severity.ofCvss3(3.9));
        assertEquals(Severity.HIGH, Severity.ofCvss2(10.0));
        assertEquals(Severity.MEDIUM, Severity.ofWord("MODERATE").orElseThrow());
        assertTrue(Severity.ofWord("not yet assigned").isEmpty());
        assertTrue(Severity.HIGH.atLeast(Severity.MEDIUM));
        assertTrue(!Severity.LOW.atLeast(Severity.MEDIUM));
    }
}
