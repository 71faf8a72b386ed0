package io.berth.scanner.pull;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A blob's bytes as they stream from the registry, hashed on the way: reaching the end with
 * another SHA-256 than the descriptor's is an IOException, so a registry cannot slip other bytes
 * into a report. A reader that stops early (a tar's end-of-archive blocks come before the
 * compressed stream's end) checks nothing, and reads nothing more than it needs.
 */
final class DigestCheckingInputStream extends FilterInputStream {

    private final String expected;
    private final MessageDigest sha256;
    private boolean checked;

    DigestCheckingInputStream(InputStream in, String expected) {
        super(in);
        this.expected = expected;
        try {
            this.sha256 = expected.startsWith("sha256:") ? MessageDigest.getInstance("SHA-256") : null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            check();
        } else if (sha256 != null) {
            sha256.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
            check();
        } else if (sha256 != null) {
            sha256.update(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipping must still hash what it passes over.
        byte[] buffer = new byte[(int) Math.min(n, 64 * 1024)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void check() throws IOException {
        if (checked || sha256 == null) {
            return;
        }
        checked = true;
        String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(expected)) {
            throw new IOException("the blob " + expected + " arrived with the digest " + actual);
        }
    }
}
