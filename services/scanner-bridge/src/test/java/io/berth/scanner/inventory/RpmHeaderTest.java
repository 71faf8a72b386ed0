package io.berth.scanner.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The header blob format (rpm's "Package format: header structure"), including hostile blobs. */
class RpmHeaderTest {

    /** il entries of (tag, type, offset, count), then the data store. */
    static byte[] blob(int[][] entries, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(entries.length);
        out.writeInt(data.length);
        for (int[] e : entries) {
            for (int v : e) {
                out.writeInt(v);
            }
        }
        out.write(data);
        return bytes.toByteArray();
    }

    @Test
    void readsStringsAndInts() throws IOException {
        byte[] data = "curl\0\0\0\0\0\0\0\7".getBytes(StandardCharsets.ISO_8859_1);
        RpmHeader h = RpmHeader.parse(blob(new int[][] {{1000, 6, 0, 1}, {1003, 4, 8, 1}, {999_999, 6, 0, 1}}, data));
        assertEquals("curl", h.string(RpmHeader.NAME));
        assertEquals(7, h.int32(RpmHeader.EPOCH));
    }

    @Test
    void hostileBlobsAreIoExceptions() throws IOException {
        byte[] data = "curl\0".getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(IOException.class, () -> RpmHeader.parse(new byte[3]));
        assertThrows(IOException.class, () -> RpmHeader.parse(blob(new int[][] {{1000, 6, 400, 1}}, data)),
                "offset past the data");
        assertThrows(IOException.class, () -> RpmHeader.parse(blob(new int[][] {{1000, 6, -4, 1}}, data)));
        assertThrows(IOException.class, () -> RpmHeader.parse(
                blob(new int[][] {{1000, 6, 0, 1}}, "curl".getBytes(StandardCharsets.ISO_8859_1))), "no NUL");
        assertThrows(IOException.class, () -> RpmHeader.parse(blob(new int[][] {{1003, 4, 3, 1}}, data)),
                "int overruns the data");
        byte[] lying = blob(new int[][] {{1000, 6, 0, 1}}, data);
        lying[3] = 100; // il says 100 entries
        assertThrows(IOException.class, () -> RpmHeader.parse(lying));
        byte[] huge = blob(new int[][] {{1000, 6, 0, 1}}, data);
        huge[4] = 0x7f; // dl of ~2 GiB
        assertThrows(IOException.class, () -> RpmHeader.parse(huge));
    }
}
