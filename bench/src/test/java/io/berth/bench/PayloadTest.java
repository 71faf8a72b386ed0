package io.berth.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.oci.Digest;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class PayloadTest {

    @Test
    void aBlobsDigestIsTheSha256OfTheBytesItSends() {
        Payload.Blob blob = new Payload(300_000, 7).blob(1);
        byte[] bytes = blob.body().getBytes();
        assertEquals(300_000, bytes.length);
        assertEquals(Digest.sha256(bytes), blob.digest());
    }

    @Test
    void chunksPutTogetherAreTheWholeBlobAndSendingDoesNotUseItUp() {
        Payload.Blob blob = new Payload(100_000, 7).blob(2);
        Buffer joined = Buffer.buffer();
        for (int offset = 0; offset < 100_000; offset += 30_000) {
            joined.appendBuffer(blob.slice(offset, Math.min(30_000, 100_000 - offset)));
        }
        assertArrayEquals(blob.body().getBytes(), joined.getBytes());
        assertArrayEquals(blob.body().getBytes(), blob.body().getBytes());
    }

    @Test
    void blobsOfOnePayloadDifferAndOtherRunsDifferToo() {
        Payload p = new Payload(4096, 1);
        assertNotEquals(p.blob(1).digest(), p.blob(2).digest());
        assertEquals(p.blob(3).digest(), p.blob(3).digest());
        assertNotEquals(p.blob(1).digest(), new Payload(4096, 2).blob(1).digest());
    }

    @Test
    void theBytesAreIncompressible() {
        byte[] bytes = new Payload(1 << 20, 3).blob(1).body().getBytes();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(bytes);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        assertTrue(out.size() > bytes.length * 0.99, "deflated to " + out.size());
    }

    @Test
    void aPayloadSmallerThanItsPrefixIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Payload(8, 1));
    }
}
