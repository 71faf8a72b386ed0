package io.berth.scanner.vulndb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.scanner.vulndb.VulnDbException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.SQLException;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads OSV records from a request body, as a stream: one JSON record, or an OSV export zip (the
 * per-ecosystem {@code all.zip} OSV publishes: one {@code <ID>.json} per record), entry by entry
 * through {@link ZipInputStream}, never holding more than one record in memory or anything on disk.
 *
 * <p>Bounds: the body ({@code max-import-size}), each record ({@code max-record-size}), the
 * entries' uncompressed total ({@code max-uncompressed-size}) and their number
 * ({@code max-entries}); over one is {@link Reason#TOO_LARGE}.
 *
 * <p>An invalid record or a corrupt zip fails the whole import ({@link Reason#INVALID}, naming the
 * entry) rather than being skipped and counted: a full export that silently loses records would
 * withdraw them, and an export that does not read cleanly is better fetched again than trusted in
 * part. A truncated zip is caught even when it ends between two entries (where
 * {@link ZipInputStream} would just stop): after the last entry the rest of the body is read and
 * its end-of-central-directory record must be there and count as many entries as were read.
 * Entries that are directories or not {@code .json} files are passed over.
 */
public final class OsvImporter {

    /** Receives each record as it is read; its SQLException ends the import. */
    @FunctionalInterface
    public interface Sink {
        void accept(String entry, OsvRecord record) throws SQLException;
    }

    /** The import's bounds, in bytes and entries. */
    public record Limits(long maxImportBytes, long maxRecordBytes, long maxUncompressedBytes, int maxEntries) {}

    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_EOCD = 0x06064b50;

    private final ObjectMapper json;
    private final Limits limits;

    public OsvImporter(ObjectMapper json, Limits limits) {
        this.json = json;
        this.limits = limits;
    }

    /** Reads one JSON record from {@code body}. */
    public void readRecord(InputStream body, Sink sink) throws IOException, SQLException {
        BoundedInput in = limits.maxRecordBytes() <= limits.maxImportBytes()
                ? new BoundedInput(body, limits.maxRecordBytes(), "the record (berth.scanner.vulndb.max-record-size)")
                : new BoundedInput(body, limits.maxImportBytes(), "the import (berth.scanner.vulndb.max-import-size)");
        byte[] bytes = in.readAllBytes();
        sink.accept("the record", parse("the record", bytes));
    }

    /** Reads every record of an OSV export zip from {@code body}; returns the number of records. */
    public long readZip(InputStream body, Sink sink) throws IOException, SQLException {
        BoundedInput in = new BoundedInput(body, limits.maxImportBytes(),
                "the import (berth.scanner.vulndb.max-import-size)");
        ZipInputStream zip = new ZipInputStream(in);
        long entries = 0;
        long records = 0;
        long uncompressed = 0;
        String last = null;
        while (true) {
            ZipEntry entry;
            try {
                entry = zip.getNextEntry();
            } catch (ZipException | java.io.EOFException e) {
                throw corrupt(last == null ? "at its start" : "after entry " + last, e);
            }
            if (entry == null) {
                break;
            }
            entries++;
            last = entry.getName();
            if (entries > limits.maxEntries()) {
                throw new VulnDbException(Reason.TOO_LARGE, "the zip has more than " + limits.maxEntries()
                        + " entries (berth.scanner.vulndb.max-entries)");
            }
            if (entry.isDirectory() || !last.toLowerCase(Locale.ROOT).endsWith(".json")) {
                continue;
            }
            byte[] bytes = entryBytes(zip, last);
            uncompressed += bytes.length;
            if (uncompressed > limits.maxUncompressedBytes()) {
                throw new VulnDbException(Reason.TOO_LARGE, "the zip's records add up to more than "
                        + limits.maxUncompressedBytes() + " bytes (berth.scanner.vulndb.max-uncompressed-size)");
            }
            sink.accept(last, parse("entry " + last, bytes));
            records++;
        }
        if (entries == 0) {
            throw new VulnDbException(Reason.INVALID, "the body is not a zip archive, or one without entries");
        }
        in.drain();
        checkEnd(in.tail(), entries, last);
        return records;
    }

    private byte[] entryBytes(ZipInputStream zip, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16384];
        try {
            int n;
            while ((n = zip.read(buffer)) >= 0) {
                if (out.size() + n > limits.maxRecordBytes()) {
                    throw new VulnDbException(Reason.TOO_LARGE, "entry " + name + " is larger than "
                            + limits.maxRecordBytes() + " bytes (berth.scanner.vulndb.max-record-size)");
                }
                out.write(buffer, 0, n);
            }
        } catch (ZipException | java.io.EOFException e) {
            throw corrupt("in entry " + name, e);
        }
        return out.toByteArray();
    }

    private OsvRecord parse(String where, byte[] bytes) {
        JsonNode root;
        try {
            root = json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new VulnDbException(Reason.INVALID, where + " is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new VulnDbException(Reason.INVALID, where + " cannot be read: " + e.getMessage());
        }
        try {
            return OsvRecord.parse(root);
        } catch (IllegalArgumentException e) {
            throw new VulnDbException(Reason.INVALID, where + " is not a valid OSV record: " + e.getMessage());
        }
    }

    /** The end-of-central-directory record must close the body and count the entries read. */
    static void checkEnd(byte[] tail, long entries, String last) {
        ByteBuffer b = ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = tail.length - 22; at >= 0; at--) {
            if (b.getInt(at) != EOCD || (b.getShort(at + 20) & 0xffff) != tail.length - at - 22) {
                continue;
            }
            long total = b.getShort(at + 10) & 0xffff;
            if (total == 0xffff) {
                total = zip64Total(b, at);
            }
            if (total != entries) {
                throw new VulnDbException(Reason.INVALID, "the zip is corrupt: its directory lists " + total
                        + " entries but " + entries + " were read (the last " + last + ")");
            }
            return;
        }
        throw new VulnDbException(Reason.INVALID, "the zip is truncated or corrupt after entry " + last
                + ": it has no end-of-central-directory record");
    }

    private static long zip64Total(ByteBuffer b, int eocd) {
        // The zip64 locator (20 bytes) precedes the EOCD; the zip64 EOCD record (56 bytes) precedes it.
        int record = eocd - 20 - 56;
        if (record >= 0 && b.getInt(record) == ZIP64_EOCD) {
            return b.getLong(record + 32);
        }
        return -1;
    }

    private static VulnDbException corrupt(String where, Exception e) {
        return new VulnDbException(Reason.INVALID, "the zip is corrupt " + where + ": " + e.getMessage());
    }
}
