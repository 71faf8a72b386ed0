package io.berth.scanner.vulndb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading OSV records: the shipped real ones, the severities OSV databases write, and refusals. */
class OsvRecordTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static OsvRecord parse(String text) throws Exception {
        return OsvRecord.parse(JSON.readTree(text));
    }

    private static String refusal(String text) {
        return assertThrows(IllegalArgumentException.class, () -> parse(text)).getMessage();
    }

    @Test
    void theLog4ShellAdvisory() throws Exception {
        OsvRecord r = parse(OsvData.record(OsvData.LOG4SHELL));
        assertEquals("GHSA-jfh8-c2jp-5v3q", r.id());
        assertEquals(List.of("CVE-2021-44228"), r.aliases());
        assertEquals(Instant.parse("2022-03-25T20:56:18Z"), r.modified());
        assertEquals(Severity.CRITICAL, r.severity());
        assertEquals(10.0, r.cvssScore());
        assertEquals(3, r.affected().size());
        OsvAffected first = r.affected().get(0);
        assertEquals("Maven", first.ecosystem());
        assertEquals("", first.release());
        assertEquals("org.apache.logging.log4j:log4j-core", first.name());
        assertEquals(List.of(new OsvRange.Event(OsvRange.Kind.INTRODUCED, "2.13.0"),
                new OsvRange.Event(OsvRange.Kind.FIXED, "2.15.0")), first.ranges().get(0).events());
        assertEquals(62, r.references().size());
    }

    @Test
    void osReleasesAreTakenFromTheEcosystem() throws Exception {
        OsvRecord debian = parse(OsvData.record(OsvData.DEBIAN_ZLIB));
        assertEquals("Debian", debian.affected().get(0).ecosystem());
        assertEquals("12", debian.affected().get(0).release());
        assertEquals("13", debian.affected().get(2).release());
        assertNull(debian.affected().get(0).severity(), "\"not yet assigned\" rates nothing");
        assertEquals(Severity.CRITICAL, debian.severity());
        assertEquals(List.of("CVE-2023-45853"), debian.upstream());
        OsvRecord alpine = parse(OsvData.record(OsvData.ALPINE_ZLIB));
        assertEquals("v3.16", alpine.affected().get(0).release());
    }

    @Test
    void severitiesWithoutAVectorComeFromTheDatabasesWords() throws Exception {
        assertEquals(Severity.MEDIUM, parse("""
                {"id":"GHSA-x","modified":"2024-01-01T00:00:00Z","database_specific":{"severity":"MODERATE"}}
                """).severity());
        assertEquals(Severity.LOW, parse("""
                {"id":"UBUNTU-CVE-1","modified":"2024-01-01T00:00:00Z","severity":[{"type":"Ubuntu","score":"negligible"}]}
                """).severity());
        assertEquals(Severity.HIGH, parse("""
                {"id":"OLD-1","modified":"2024-01-01T00:00:00Z","severity":[{"type":"CVSS_V2","score":"AV:N/AC:L/Au:N/C:P/I:P/A:P"}]}
                """).severity());
        OsvRecord perPackage = parse("""
                {"id":"DSA-1","modified":"2024-01-01T00:00:00Z","affected":[
                  {"package":{"ecosystem":"Debian:12","name":"a"},"ecosystem_specific":{"urgency":"medium"}},
                  {"package":{"ecosystem":"Debian:11","name":"a"},"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}]}
                """);
        assertEquals(Severity.MEDIUM, perPackage.affected().get(0).severity());
        assertEquals(Severity.CRITICAL, perPackage.affected().get(1).severity());
        assertEquals(Severity.CRITICAL, perPackage.severity(), "the record's level is its highest package's");
        assertEquals(Severity.UNKNOWN, parse("{\"id\":\"X-1\",\"modified\":\"2024-01-01T00:00:00Z\"}").severity());
    }

    @Test
    void namesAndReleasesAreNormalized() throws Exception {
        OsvRecord r = parse("""
                {"id":"PYSEC-1","modified":"2024-01-01T00:00:00.123456789+00:00","affected":[
                  {"package":{"ecosystem":"PyPI","name":"Zope.Interface_x"}},
                  {"package":{"ecosystem":"Ubuntu:22.04:LTS","name":"openssl"}},
                  {"package":{"ecosystem":"Maven:https://maven.google.com","name":"g:a"}},
                  {"ranges":[{"type":"GIT","repo":"https://x","events":[{"introduced":"abc"}]}]}]}
                """);
        assertEquals("zope-interface-x", r.affected().get(0).name());
        assertEquals("22.04", r.affected().get(1).release());
        assertEquals("", r.affected().get(2).release(), "a Maven repository is no release");
        assertEquals(3, r.affected().size(), "an entry without a package is skipped");
        assertTrue(r.ecosystems().containsAll(List.of("PyPI", "Ubuntu", "Maven")));
    }

    @Test
    void invalidRecordsAreRefusedWithTheField() {
        assertTrue(refusal("[]").contains("JSON object"));
        assertTrue(refusal("{\"modified\":\"2024-01-01T00:00:00Z\"}").contains("\"id\""));
        assertTrue(refusal("{\"id\":\"X-1\"}").contains("\"modified\" is required"));
        assertTrue(refusal("{\"id\":\"X-1\",\"modified\":\"yesterday\"}").contains("RFC 3339"));
        assertTrue(refusal("{\"id\":\"X 1\",\"modified\":\"2024-01-01T00:00:00Z\"}").contains("printable"));
        assertTrue(refusal("""
                {"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"a"},
                 "ranges":[{"type":"SEMVER","events":[{"introduced":"0","fixed":"1.0.2"}]}]}]}
                """).contains("affected[0].ranges[0].events[0] must have exactly one"));
        assertTrue(refusal("""
                {"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"a"},
                 "ranges":[{"type":"SEMVER","events":[{"patched":"1.0"}]}]}]}
                """).contains("\"patched\" is not an event"));
        assertTrue(refusal("""
                {"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"name":"a"}}]}
                """).contains("needs \"ecosystem\" and \"name\""));
        assertTrue(refusal("{\"id\":\"X-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"aliases\":\"CVE-1\"}")
                .contains("must be an array"));
    }
}
