package io.berth.bench;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.MediaTypes;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes an OCI image layout (image-spec image-layout.md) that skopeo copies from
 * {@code oci:<dir>:1.0}: layers that are uncompressed tars of one file of random bytes each, a
 * config listing their diff IDs, the manifest, and index.json naming it "1.0". Built here rather
 * than with umoci, so the benchmark needs no tool besides skopeo and no root for unpacking.
 */
final class OciLayout {

    static final String TAG = "1.0";
    private static final int BLOCK = 512;

    private OciLayout() {
    }

    /** Writes a layout of {@code layers} layers of a file of {@code fileBytes} random bytes each. */
    static Path write(Path dir, int layers, long fileBytes, long seed) throws IOException {
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        SplittableRandom random = new SplittableRandom(seed);
        List<String> layerDescriptors = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            Path tmp = blobs.resolve("layer.tmp");
            MessageDigest sha256 = Payload.sha256();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha256)) {
                writeTar(out, "layer-" + i + ".bin", fileBytes, random);
            }
            Digest digest = Digest.of(DigestAlgorithm.SHA256, sha256.digest());
            long size = Files.size(tmp);
            Files.move(tmp, blobs.resolve(digest.hex()));
            layerDescriptors.add(descriptor(MediaTypes.OCI_LAYER_TAR, digest, size));
            diffIds.add("\"" + digest + "\"");
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                + String.join(",", diffIds) + "]}}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = blob(blobs, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptor(MediaTypes.OCI_CONFIG, configDigest, config.length) + ",\"layers\":["
                + String.join(",", layerDescriptors) + "]}").getBytes(StandardCharsets.UTF_8);
        Digest manifestDigest = blob(blobs, manifest);
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + manifestDigest + "\",\"size\":" + manifest.length
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + TAG + "\"}}]}");
        return dir;
    }

    /** A POSIX ustar archive of one regular file of random bytes. */
    static void writeTar(OutputStream out, String name, long size, SplittableRandom random) throws IOException {
        byte[] header = new byte[BLOCK];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", size));
        put(header, 136, String.format("%011o", 1_700_000_000L));
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        out.write(header);
        byte[] chunk = new byte[1 << 16];
        for (long left = size; left > 0; ) {
            int n = (int) Math.min(chunk.length, left);
            Payload.fill(chunk, n, random);
            out.write(chunk, 0, n);
            left -= n;
        }
        int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
        out.write(new byte[pad + 2 * BLOCK]); // padding, then the two zero blocks that end an archive
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private static Digest blob(Path blobs, byte[] content) throws IOException {
        Digest digest = Digest.sha256(content);
        Files.write(blobs.resolve(digest.hex()), content);
        return digest;
    }

    private static String descriptor(String mediaType, Digest digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }
}
