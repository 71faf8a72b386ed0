package io.berth.scanner.vulndb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** The shipped OSV data set (src/main/resources/osv) and zips made of it, for tests. */
public final class OsvData {

    public static final String LOG4SHELL = "GHSA-jfh8-c2jp-5v3q";
    public static final String JACKSON = "GHSA-57j2-w4cx-62h2";
    public static final String DEBIAN_ZLIB = "DEBIAN-CVE-2023-45853";
    public static final String ALPINE_ZLIB = "ALPINE-CVE-2022-37434";
    public static final List<String> ALL = List.of(LOG4SHELL, JACKSON, DEBIAN_ZLIB, ALPINE_ZLIB);

    private OsvData() {}

    /** The shipped record {@code id} as text. */
    public static String record(String id) {
        try (InputStream in = OsvData.class.getResourceAsStream("/osv/" + id + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A zip of the shipped records {@code ids}, one {@code <id>.json} each, as OSV's all.zip. */
    public static byte[] zipOf(List<String> ids) {
        Map<String, String> entries = new LinkedHashMap<>();
        ids.forEach(id -> entries.put(id + ".json", record(id)));
        return zip(entries);
    }

    /** A zip of {@code entries} (name to content). */
    public static byte[] zip(Map<String, String> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
