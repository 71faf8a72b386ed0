package io.berth.scanner.inventory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/**
 * Builds layer tars in memory with commons-compress, as a builder would write them. Public for the
 * scan flow's tests (io.berth.scanner.flow), which store such layers in the object store.
 */
public final class TestLayers {

    public static final String GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String TAR = "application/vnd.oci.image.layer.v1.tar";
    public static final String DOCKER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    public enum Compression { NONE, GZIP, ZSTD }

    private final ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    private TestLayers() {
        tar = new TarArchiveOutputStream(tarBytes);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    public static TestLayers tar() {
        return new TestLayers();
    }

    public TestLayers file(String name, byte[] content) {
        return file(name, content, 0644);
    }

    /** A regular file with these permission bits (0755 for an executable). */
    TestLayers file(String name, byte[] content, int mode) {
        try {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(content.length);
            e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~07777 | mode);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TestLayers file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    TestLayers file(String name, Path content) {
        try {
            return file(name, Files.readAllBytes(content));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TestLayers resource(String name, String resource) {
        try (InputStream in = Objects.requireNonNull(TestLayers.class.getResourceAsStream("/inventory/" + resource),
                resource)) {
            return file(name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestLayers dir(String name) {
        return special(new TarArchiveEntry(name.endsWith("/") ? name : name + "/"));
    }

    TestLayers symlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        return special(e);
    }

    TestLayers hardlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
        e.setLinkName(target);
        return special(e);
    }

    TestLayers whiteout(String path) {
        int slash = path.lastIndexOf('/');
        return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), new byte[0]);
    }

    TestLayers opaque(String dir) {
        return file(dir + "/.wh..wh..opq", new byte[0]);
    }

    private TestLayers special(TarArchiveEntry e) {
        try {
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The finished tar's bytes. */
    public byte[] bytes() {
        try {
            tar.finish();
            tar.close();
            return tarBytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Layer layer(String digest, Compression compression) {
        String mediaType = switch (compression) {
            case NONE -> TAR;
            case GZIP -> GZIP;
            case ZSTD -> ZSTD;
        };
        return layer(digest, compression, mediaType);
    }

    Layer layer(String digest, Compression compression, String mediaType) {
        byte[] content = compress(bytes(), compression);
        return new Layer(digest, mediaType, () -> new ByteArrayInputStream(content));
    }

    Layer gzip(String digest) {
        return layer(digest, Compression.GZIP);
    }

    public static byte[] compress(byte[] data, Compression compression) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream c = switch (compression) {
                case NONE -> out;
                case GZIP -> new GzipCompressorOutputStream(out);
                case ZSTD -> new ZstdCompressorOutputStream(out);
            }) {
                c.write(data);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Layer raw(String digest, String mediaType, byte[] content) {
        return new Layer(digest, mediaType, () -> new ByteArrayInputStream(content));
    }

    /** A jar on the test classpath that holds {@code type}: a real jar from the Maven repository. */
    static Path jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String readResource(String resource) {
        try (InputStream in = Objects.requireNonNull(TestLayers.class.getResourceAsStream("/inventory/" + resource),
                resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
