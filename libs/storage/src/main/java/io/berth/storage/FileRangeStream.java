package io.berth.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * Bytes {@code [position, end)} of an open file, read with positioned reads. The file was opened
 * before the stream was made, so a delete or replacement of its name meanwhile does not change
 * what the stream returns (POSIX keeps an unlinked file readable while it is open).
 */
final class FileRangeStream extends InputStream {

    private static final int MAX_READ = 256 * 1024;

    private final FileChannel file;
    private long position;
    private final long end;

    FileRangeStream(FileChannel file, long position, long end) {
        this.file = file;
        this.position = position;
        this.end = end;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (position >= end) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        // At most 256 KiB a read: the JDK reads into a temporary direct buffer of the request's
        // size and keeps it for the thread (see FilesystemBlobStore#writeAll).
        int n = file.read(ByteBuffer.wrap(b, off, (int) Math.min(Math.min(len, MAX_READ), end - position)), position);
        if (n < 0) {
            // Blob files are never modified in place: a shorter file means the disk lost bytes.
            throw new IOException("file ended " + (end - position) + " bytes early");
        }
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, end - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, end - position);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
