package io.berth.scanner.vulndb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Streaming OSV exports: what is read, and how corrupt, invalid and oversized bodies are refused. */
class OsvImporterTest {

    private static final OsvImporter.Limits ROOMY = new OsvImporter.Limits(1 << 20, 64 << 10, 1 << 20, 100);

    private static List<String> read(byte[] zip, OsvImporter.Limits limits) throws Exception {
        List<String> ids = new ArrayList<>();
        new OsvImporter(new ObjectMapper(), limits).readZip(new ByteArrayInputStream(zip), (e, r) -> ids.add(r.id()));
        return ids;
    }

    private static VulnDbException refused(byte[] zip, OsvImporter.Limits limits) {
        return assertThrows(VulnDbException.class, () -> read(zip, limits));
    }

    @Test
    void readsEveryRecordOfAnExport() throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        OsvData.ALL.forEach(id -> entries.put(id + ".json", OsvData.record(id)));
        entries.put("README.txt", "not a record");
        assertEquals(OsvData.ALL, read(OsvData.zip(entries), ROOMY));
    }

    @Test
    void aZipCutInsideAnEntryNamesTheEntry() {
        byte[] zip = OsvData.zipOf(OsvData.ALL);
        VulnDbException e = refused(Arrays.copyOf(zip, zip.length / 2), ROOMY);
        assertEquals(VulnDbException.Reason.INVALID, e.reason());
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        assertTrue(e.getMessage().contains(".json"), "names the entry: " + e.getMessage());
    }

    @Test
    void aZipCutBetweenEntriesIsCaughtByItsDirectory() {
        byte[] zip = OsvData.zipOf(List.of(OsvData.LOG4SHELL, OsvData.JACKSON));
        // Cut where the central directory starts: every entry reads whole, and ZipInputStream just stops.
        int directory = indexOf(zip, new byte[] {0x50, 0x4b, 0x01, 0x02});
        VulnDbException e = refused(Arrays.copyOf(zip, directory), ROOMY);
        assertEquals(VulnDbException.Reason.INVALID, e.reason());
        assertTrue(e.getMessage().contains("after entry GHSA-57j2-w4cx-62h2.json"), e.getMessage());
        assertTrue(e.getMessage().contains("end-of-central-directory"), e.getMessage());
    }

    @Test
    void whatIsNoZipIsSaidSo() {
        VulnDbException e = refused("{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8), ROOMY);
        assertTrue(e.getMessage().contains("not a zip"), e.getMessage());
    }

    @Test
    void anInvalidRecordNamesItsEntry() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("GOOD.json", OsvData.record(OsvData.JACKSON));
        entries.put("BAD-1.json", "{\"id\":\"BAD-1\"}");
        VulnDbException e = refused(OsvData.zip(entries), ROOMY);
        assertEquals("entry BAD-1.json is not a valid OSV record: BAD-1: \"modified\" is required", e.getMessage());
        entries.put("BAD-1.json", "{not json");
        assertTrue(refused(OsvData.zip(entries), ROOMY).getMessage().startsWith("entry BAD-1.json is not JSON"));
    }

    @Test
    void boundsAreTooLarge() {
        byte[] zip = OsvData.zipOf(OsvData.ALL);
        VulnDbException record = refused(zip, new OsvImporter.Limits(1 << 20, 4096, 1 << 20, 100));
        assertEquals(VulnDbException.Reason.TOO_LARGE, record.reason());
        assertTrue(record.getMessage().contains("entry GHSA-jfh8-c2jp-5v3q.json is larger than 4096"), record.getMessage());
        assertEquals(VulnDbException.Reason.TOO_LARGE, refused(zip, new OsvImporter.Limits(1000, 64 << 10, 1 << 20, 100)).reason());
        assertTrue(refused(zip, new OsvImporter.Limits(1 << 20, 64 << 10, 16000, 100)).getMessage().contains("add up"));
        assertTrue(refused(zip, new OsvImporter.Limits(1 << 20, 64 << 10, 1 << 20, 3)).getMessage().contains("entries"));
    }

    @Test
    void aSingleRecordIsBoundedByTheRecordBound() {
        OsvImporter importer = new OsvImporter(new ObjectMapper(), new OsvImporter.Limits(1 << 20, 100, 1 << 20, 100));
        VulnDbException e = assertThrows(VulnDbException.class, () -> importer.readRecord(
                new ByteArrayInputStream(OsvData.record(OsvData.JACKSON).getBytes(StandardCharsets.UTF_8)), (n, r) -> { }));
        assertEquals("the record (berth.scanner.vulndb.max-record-size) is larger than 100 bytes", e.getMessage());
    }

    @Test
    void aZipBombStopsAtTheRecordBound() {
        String huge = "{\"id\":\"X-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"details\":\"" + "0".repeat(2_000_000) + "\"}";
        byte[] zip = OsvData.zip(Map.of("X-1.json", huge));
        assertTrue(zip.length < 20_000, "compresses well");
        assertEquals(VulnDbException.Reason.TOO_LARGE, refused(zip, ROOMY).reason());
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
