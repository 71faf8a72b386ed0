package io.berth.scanner.inventory;

import io.berth.scanner.model.InstalledPackage;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.io.input.CloseShieldInputStream;

/**
 * The inventory of an image: what its final filesystem has installed, read from its layers in
 * order, each layer once, as a stream (ADR 0031).
 *
 * <p>Memory stays flat whatever the image: a layer is decompressed and untarred as it streams
 * ({@link LayerStreams}); a file no analyzer wants is skipped without being read into memory;
 * a wanted file is read only up to its analyzer's cap ({@link InventoryLimits}), jars are walked
 * as zip streams. Symlinks and hard links are never followed (an image's {@code etc/os-release}
 * symlink is handled by reading both os-release paths), and entry names are only ever keys
 * ({@link EntryPaths}): nothing is written to disk by an entry's name.
 *
 * <p>The state kept between layers is what analyzers found, per path. A later layer changes it
 * as overlayfs changes the filesystem: a file at a path replaces what the path held (and all
 * under it); {@code .wh.<name>} deletes {@code <name>} and everything under it;
 * {@code .wh..wh..opq} hides everything lower layers had in its directory.
 *
 * <p>Failures: a layer that is not a tar, a corrupt or truncated compression, or more than
 * {@link InventoryLimits#maxPackages()} packages is an {@link InventoryException} for the whole
 * image; a file inside a good layer that an analyzer cannot parse is a warning and nothing else.
 * Thread-safe: an instance holds no state between calls, only its limits.
 */
public final class ImageInventory {

    private static final String OPAQUE = ".wh..wh..opq";
    private static final String WHITEOUT = ".wh.";

    private final InventoryLimits limits;
    private final List<Analyzer> analyzers = List.of(new OsReleaseAnalyzer(), new DpkgAnalyzer(), new ApkAnalyzer(),
            new RpmAnalyzer(), new JarAnalyzer(), new NpmAnalyzer(), new PythonAnalyzer(), new GoBinaryAnalyzer());

    public ImageInventory() {
        this(InventoryLimits.DEFAULTS);
    }

    public ImageInventory(InventoryLimits limits) {
        this.limits = limits;
    }

    /**
     * Reads {@code layers} (base layer first) and lists what the final filesystem has installed.
     *
     * @throws InventoryException if a layer cannot be read as a (compressed) tar, naming the layer
     */
    public Inventory inventory(List<Layer> layers) throws InventoryException {
        Run run = new Run();
        for (int i = 0; i < layers.size(); i++) {
            readLayer(i, layers.get(i), run);
        }
        return run.result();
    }

    private void readLayer(int index, Layer layer, Run run) throws InventoryException {
        String what = layer.mediaType() == null ? "layer" : layer.mediaType();
        try (InputStream raw = layer.content().open()) {
            SourceGuard source = new SourceGuard(LayerStreams.decompress(raw));
            TarArchiveInputStream tar = new BoundedTarInputStream(source);
            TarArchiveEntry entry;
            while ((entry = nextEntry(tar)) != null) {
                visit(index, layer.digest(), entry, tar, source, run);
            }
        } catch (InventoryException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InventoryException(layer.digest(), "cannot read " + what + ": " + describe(e), e);
        }
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IllegalArgumentException e) {
            throw new IOException("not a tar archive (" + e.getMessage() + ")", e);
        }
    }

    private void visit(int index, String digest, TarArchiveEntry entry, TarArchiveInputStream tar,
            SourceGuard source, Run run) throws IOException, InventoryException {
        String path = EntryPaths.normalise(entry.getName());
        if (path.isEmpty()) {
            return;
        }
        String name = EntryPaths.fileName(path);
        String dir = EntryPaths.parent(path);
        if (name.equals(OPAQUE)) {
            run.removeUnder(dir, index);
            return;
        }
        if (name.startsWith(WHITEOUT)) {
            String target = dir.isEmpty() ? name.substring(WHITEOUT.length()) : dir + "/" + name.substring(WHITEOUT.length());
            run.removeAt(target, index);
            run.removeUnder(target, index);
            return;
        }
        if (entry.isDirectory()) {
            run.removeAt(path, Integer.MAX_VALUE); // a directory replaces a file; what is under it stays
            return;
        }
        // anything else (file, symlink, hard link, device) replaces the path and all under it
        run.removeAt(path, Integer.MAX_VALUE);
        run.removeUnder(path, Integer.MAX_VALUE);
        if (!isRegularFile(entry)) {
            return;
        }
        for (Analyzer analyzer : analyzers) {
            if (analyzer.wants(path, entry.getMode())) {
                analyze(analyzer, path, index, digest, entry.getSize(), tar, source, run);
                return;
            }
        }
    }

    private void analyze(Analyzer analyzer, String path, int index, String digest, long size,
            TarArchiveInputStream tar, SourceGuard source, Run run) throws IOException, InventoryException {
        if (size > analyzer.maxBytes(limits)) {
            run.warn(path + " in " + digest + ": " + size + " bytes, over the cap of "
                    + analyzer.maxBytes(limits) + ", not read");
            return;
        }
        Findings findings;
        try {
            findings = analyzer.analyze(path, CloseShieldInputStream.wrap(tar), size, run);
        } catch (IOException | RuntimeException e) {
            if (source.failed) {
                throw e instanceof IOException io ? io : new IOException(e); // the layer broke, not the file
            }
            run.warn(path + " in " + digest + ": " + describe(e) + ", ignored");
            return;
        }
        if (source.failed) {
            throw new IOException("layer stream failed while reading " + path);
        }
        if (!findings.isEmpty()) {
            run.put(path, new Result(index, digest, findings), digest);
        }
    }

    private static boolean isRegularFile(TarArchiveEntry entry) {
        // TarArchiveEntry.isFile() is also true for symlinks and devices; ask for the flags
        return entry.isFile() && !entry.isSymbolicLink() && !entry.isLink() && !entry.isCharacterDevice()
                && !entry.isBlockDevice() && !entry.isFIFO() && !entry.isSparse();
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** What analyzers found at one path, and in which layer. */
    private record Result(int layer, String digest, Findings findings) {
    }

    /** The state of one inventory: results by path, warnings, counts. */
    private final class Run implements Analyzer.Context {
        private final NavigableMap<String, Result> byPath = new TreeMap<>();
        private final List<String> warnings = new ArrayList<>();
        private int omittedWarnings;
        private int packages;

        @Override
        public InventoryLimits limits() {
            return limits;
        }

        @Override
        public void warn(String message) {
            if (warnings.size() < limits.maxWarnings()) {
                warnings.add(message);
            } else {
                omittedWarnings++;
            }
        }

        void put(String path, Result result, String digest) throws InventoryException {
            packages += result.findings().packages().size();
            if (packages > limits.maxPackages()) {
                throw new InventoryException(digest, "more than " + limits.maxPackages()
                        + " packages in the image, inventory abandoned", null);
            }
            byPath.put(path, result);
        }

        /** Forgets the result at {@code path} if it came from a layer below {@code layer}. */
        void removeAt(String path, int layer) {
            Result r = byPath.get(path);
            if (r != null && r.layer() < layer) {
                byPath.remove(path);
                packages -= r.findings().packages().size();
            }
        }

        /** Forgets results strictly under {@code dir} ("" is the root) from layers below {@code layer}. */
        void removeUnder(String dir, int layer) {
            // '0' follows '/': the range is exactly the paths that start with dir + "/"
            Map<String, Result> under = dir.isEmpty() ? byPath : byPath.subMap(dir + "/", true, dir + "0", false);
            var it = under.values().iterator();
            while (it.hasNext()) {
                Result r = it.next();
                if (r.layer() < layer) {
                    packages -= r.findings().packages().size();
                    it.remove();
                }
            }
        }

        Inventory result() {
            OsRelease os = os(OsReleaseAnalyzer.ETC);
            if (os == null) {
                os = os(OsReleaseAnalyzer.USR_LIB);
            }
            List<InstalledPackage> all = new ArrayList<>();
            for (Result r : byPath.values()) {
                for (FoundPackage p : r.findings().packages()) {
                    all.add(PackageUrls.toInstalled(p, os, r.digest()));
                }
            }
            all.sort(Comparator.comparing((InstalledPackage p) -> !p.ecosystem().isOs())
                    .thenComparing(InstalledPackage::path, Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(InstalledPackage::name));
            if (omittedWarnings > 0) {
                warnings.add(omittedWarnings + " more warning(s) omitted");
            }
            return new Inventory(os, all, warnings);
        }

        private OsRelease os(String path) {
            Result r = byPath.get(path);
            return r == null ? null : r.findings().os();
        }
    }

    /** Remembers whether the layer's own stream failed, so a broken layer is never a mere warning. */
    private static final class SourceGuard extends FilterInputStream {
        volatile boolean failed;

        SourceGuard(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }
    }
}
