package io.berth.scanner.inventory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The few tags berth needs from an RPM header blob, as rpmdb stores one per row of its
 * {@code Packages} table (the RPM file format's header structure without the 8-byte magic):
 * {@code il} and {@code dl} (big-endian int32: index entries, data bytes), {@code il} entries of
 * 16 bytes (tag, type, offset, count) and {@code dl} bytes of data. Every offset is checked
 * against the blob, so a corrupt header is an IOException, never an out-of-bounds read.
 */
final class RpmHeader {

    static final int NAME = 1000;
    static final int VERSION = 1001;
    static final int RELEASE = 1002;
    static final int EPOCH = 1003;
    static final int ARCH = 1022;
    static final int SOURCERPM = 1044;

    private static final int TYPE_INT32 = 4;
    private static final int TYPE_STRING = 6;
    private static final int MAX_ENTRIES = 0xffff;  // rpm's own hdrchkTags bound
    private static final int MAX_DATA = 256 << 20; // rpm's hdrchkData bound

    private final Map<Integer, String> strings = new HashMap<>();
    private final Map<Integer, Integer> ints = new HashMap<>();

    private RpmHeader() {
    }

    static RpmHeader parse(byte[] blob) throws IOException {
        if (blob == null || blob.length < 8) {
            throw new IOException("rpm header shorter than its intro");
        }
        ByteBuffer buf = ByteBuffer.wrap(blob); // big-endian by default, as rpm writes
        int il = buf.getInt(0);
        int dl = buf.getInt(4);
        if (il < 1 || il > MAX_ENTRIES || dl < 0 || dl > MAX_DATA || 8L + 16L * il + dl > blob.length) {
            throw new IOException("rpm header sizes out of range (il=" + il + ", dl=" + dl + ")");
        }
        int dataStart = 8 + 16 * il;
        RpmHeader header = new RpmHeader();
        for (int i = 0; i < il; i++) {
            int at = 8 + 16 * i;
            int tag = buf.getInt(at);
            int type = buf.getInt(at + 4);
            int offset = buf.getInt(at + 8);
            if (tag != NAME && tag != VERSION && tag != RELEASE && tag != EPOCH && tag != ARCH && tag != SOURCERPM) {
                continue;
            }
            if (offset < 0 || offset >= dl) {
                throw new IOException("rpm header tag " + tag + " points outside its data");
            }
            if (type == TYPE_STRING) {
                int end = dataStart + offset;
                while (end < dataStart + dl && blob[end] != 0) {
                    end++;
                }
                if (end == dataStart + dl) {
                    throw new IOException("rpm header string of tag " + tag + " is not terminated");
                }
                header.strings.put(tag, new String(blob, dataStart + offset, end - dataStart - offset, StandardCharsets.UTF_8));
            } else if (type == TYPE_INT32) {
                if (offset + 4 > dl) {
                    throw new IOException("rpm header int of tag " + tag + " overruns its data");
                }
                header.ints.put(tag, buf.getInt(dataStart + offset));
            }
        }
        return header;
    }

    String string(int tag) {
        return strings.get(tag);
    }

    Integer int32(int tag) {
        return ints.get(tag);
    }
}
