package io.berth.scanner.inventory;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * A {@link TarArchiveInputStream} that refuses oversized metadata entries. commons-compress
 * reads a GNU long name or long link ({@code L}, {@code K}) and a PAX header ({@code x},
 * {@code g}, {@code X}) wholly into memory, so one such entry claiming gigabytes is an
 * OutOfMemoryError. Each header record is checked as it is read: a metadata entry over
 * {@link #MAX_METADATA} bytes is an IOException, which fails the layer. Regular entries are
 * untouched (their data is streamed, never held).
 */
final class BoundedTarInputStream extends TarArchiveInputStream {

    /** Far more than any real path or PAX record set needs (Linux PATH_MAX is 4 KiB). */
    static final int MAX_METADATA = 1 << 20;

    private static final int SIZE_OFFSET = 124;
    private static final int SIZE_LENGTH = 12;
    private static final int TYPE_OFFSET = 156;

    BoundedTarInputStream(InputStream in) {
        super(in);
    }

    @Override
    protected byte[] readRecord() throws IOException {
        byte[] record = super.readRecord();
        if (record == null || record.length < 512) {
            return record;
        }
        byte type = record[TYPE_OFFSET];
        boolean metadata = type == 'L' || type == 'K' || type == 'x' || type == 'g' || type == 'X';
        // the checksum tells a header from an old-GNU sparse extension record read the same way
        if (metadata && TarUtils.verifyCheckSum(record)) {
            long size;
            try {
                size = TarUtils.parseOctalOrBinary(record, SIZE_OFFSET, SIZE_LENGTH);
            } catch (IllegalArgumentException e) {
                return record; // commons-compress will reject the header itself
            }
            if (size > MAX_METADATA) {
                throw new IOException("tar " + (type == 'L' || type == 'K' ? "GNU long name" : "PAX header")
                        + " of " + size + " bytes, more than " + MAX_METADATA + " allowed");
            }
        }
        return record;
    }
}
