package io.berth.storage;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The file layout of {@link FilesystemBlobStore} under its root directory; the only place that
 * builds its paths (as {@link ObjectKeys} is for S3).
 *
 * <pre>
 * &lt;root&gt;/                                  must exist; berth never creates it (it may be a mount point)
 *   blobs/&lt;ab&gt;/&lt;object-id&gt;                  the bytes of one blob; &lt;ab&gt; is the first two hex digits
 *                                          of the object id, so no directory holds more than 1/256 of
 *                                          the blobs (distribution shards by digest the same way)
 *   uploads/&lt;upload-uuid&gt;.tail            bytes of a chunked upload that do not yet fill a part
 *   multipart/&lt;object-id&gt;.&lt;multipart-id&gt;/  one multipart upload that will become blobs/&lt;ab&gt;/&lt;object-id&gt;
 *     data                                 the parts written in order, one after the other (ADR 0024)
 *     part-&lt;nnnnn&gt;.&lt;etag&gt;@&lt;offset&gt;+&lt;length&gt;  an empty marker: part n is bytes [offset, offset+length)
 *                                          of data
 *     part-&lt;nnnnn&gt;.&lt;etag&gt;                 part n in a file of its own: a part written (or copied)
 *                                          out of order or again; writing a part again adds a file
 *                                          with a new etag, and completion takes exactly the parts
 *                                          its etags name
 *   (any of these directories)/
 *     .&lt;name&gt;.&lt;random&gt;.tmp                a file or directory being written or removed: nothing else
 *                                          ever opens one; it is renamed onto &lt;name&gt; when whole, or
 *                                          it is a leftover that {@link FilesystemBlobStore#listTemporaries}
 *                                          finds for purging
 * </pre>
 *
 * <p>Every name is built from parsed UUIDs, numbers and hex digits, so no argument can reach
 * outside the root.
 */
final class FilesystemLayout {

    private static final Pattern ETAG = Pattern.compile("[0-9a-f]{16}");
    private static final HexFormat HEX = HexFormat.of();

    private final Path root;
    private final Path blobs;
    private final Path uploads;
    private final Path multipart;

    FilesystemLayout(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.blobs = this.root.resolve("blobs");
        this.uploads = this.root.resolve("uploads");
        this.multipart = this.root.resolve("multipart");
    }

    Path root() {
        return root;
    }

    /** The directories that hold files (and so temporaries) directly, shard directories aside. */
    Path[] topDirectories() {
        return new Path[] {root, blobs, uploads, multipart};
    }

    Path blobsDirectory() {
        return blobs;
    }

    Path multipartDirectory() {
        return multipart;
    }

    /** {@code blobs/<ab>/<object-id>}. */
    Path blob(ObjectId id) {
        String name = Objects.requireNonNull(id, "id").toString();
        return blobs.resolve(name.substring(0, 2)).resolve(name);
    }

    /** {@code uploads/<upload-uuid>.tail}. */
    Path tail(UUID uploadId) {
        return uploads.resolve(Objects.requireNonNull(uploadId, "uploadId") + ".tail");
    }

    /**
     * {@code multipart/<object-id>.<multipart-id>/}, or empty if {@code multipartId} is not one
     * this store could have issued (so the upload is unknown).
     */
    Optional<Path> upload(ObjectId id, String multipartId) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(multipartId, "multipartId");
        try {
            UUID parsed = UUID.fromString(multipartId);
            if (!parsed.toString().equals(multipartId)) {
                return Optional.empty();
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(multipart.resolve(id + "." + multipartId));
    }

    /** {@code part-<nnnnn>.<etag>} inside an upload's directory, or empty for an etag this store never issues. */
    static Optional<Path> part(Path upload, int number, String etag) {
        if (!ETAG.matcher(etag).matches()) {
            return Optional.empty();
        }
        return Optional.of(upload.resolve(String.format("part-%05d.%s", number, etag)));
    }

    /** {@code data} inside an upload's directory: the parts written in order. */
    static Path data(Path upload) {
        return upload.resolve("data");
    }

    /** {@code part-<nnnnn>.<etag>@<offset>+<length>}: the marker of a part that lies in {@link #data}. */
    static Path marker(Path upload, int number, String etag, long offset, long length) {
        if (!ETAG.matcher(etag).matches() || offset < 0 || length < 0) {
            throw new IllegalArgumentException("no marker for part " + number + " " + etag + " at " + offset + "+" + length);
        }
        return upload.resolve(String.format("part-%05d.%s@%d+%d", number, etag, offset, length));
    }

    /**
     * One entry of an upload's directory that is a part: its number and etag, and where it lies in
     * {@link #data} when it is a marker ({@code offset} -1 for a part in a file of its own).
     */
    record PartEntry(int number, String etag, long offset, long length) {

        boolean inData() {
            return offset >= 0;
        }

        long end() {
            return offset + length;
        }
    }

    private static final Pattern PART_ENTRY = Pattern.compile("part-(\\d{5})\\.([0-9a-f]{16})(?:@(\\d{1,19})\\+(\\d{1,19}))?");

    /** The part a file name in an upload's directory stands for; empty for anything else (data, temporaries). */
    static Optional<PartEntry> partEntry(String fileName) {
        var m = PART_ENTRY.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(m.group(3) == null
                    ? new PartEntry(Integer.parseInt(m.group(1)), m.group(2), -1, -1)
                    : new PartEntry(Integer.parseInt(m.group(1)), m.group(2), Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
        } catch (NumberFormatException tooBig) {
            return Optional.empty();
        }
    }

    /** A fresh etag: random, so a rewritten part never matches the etag of the part it replaced. */
    static String newEtag() {
        byte[] bytes = new byte[8];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /** {@code .<name>.<random>.tmp} beside {@code target}: same directory, so renaming it onto target is atomic. */
    static Path temporaryFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + newEtag() + ".tmp");
    }

    /** Whether a file name is one {@link #temporaryFor} made. */
    static boolean isTemporary(String fileName) {
        return fileName.startsWith(".") && fileName.endsWith(".tmp");
    }
}
