package io.berth.scanner.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * RPM distributions whose rpmdb is SQLite (RHEL, Rocky and Alma 9, Fedora 33+):
 * {@code var/lib/rpm/rpmdb.sqlite} or {@code usr/lib/sysimage/rpm/rpmdb.sqlite}. SQLite needs a
 * file, so the database (under {@link InventoryLimits#rpmdbBytes()}) is copied to a temp file,
 * opened read-only and immutable (a WAL-mode copy without its -shm opens that way), and deleted
 * afterwards whatever happens. Each row of {@code Packages} is a header blob
 * ({@link RpmHeader}); {@code gpg-pubkey} pseudo-packages are not packages. A header that does
 * not parse is skipped with a warning. BerkeleyDB and NDB rpmdbs (RHEL 8 and older, SUSE) are
 * not read.
 */
final class RpmAnalyzer implements Analyzer {

    @Override
    public boolean wants(String path, int mode) {
        return path.equals("var/lib/rpm/rpmdb.sqlite") || path.equals("usr/lib/sysimage/rpm/rpmdb.sqlite");
    }

    @Override
    public long maxBytes(InventoryLimits limits) {
        return limits.rpmdbBytes();
    }

    @Override
    public Findings analyze(String path, InputStream content, long size, Context context) throws IOException {
        Path dir = Files.createTempDirectory("berth-rpmdb");
        Path db = dir.resolve("rpmdb.sqlite");
        try {
            Files.copy(content, db, StandardCopyOption.REPLACE_EXISTING);
            return Findings.of(read(db, path, context));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static List<FoundPackage> read(Path db, String path, Context context) throws IOException {
        List<FoundPackage> found = new ArrayList<>();
        Properties props = new Properties();
        props.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
        String url = "jdbc:sqlite:file:" + db.toAbsolutePath() + "?immutable=1";
        int skipped = 0;
        try (Connection c = DriverManager.getConnection(url, props);
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT blob FROM Packages")) {
            while (rows.next()) {
                try {
                    FoundPackage p = toPackage(RpmHeader.parse(rows.getBytes(1)), path);
                    if (p != null) {
                        found.add(p);
                    }
                } catch (IOException e) {
                    skipped++;
                }
            }
        } catch (SQLException e) {
            throw new IOException("not a readable rpmdb.sqlite: " + e.getMessage(), e);
        }
        if (skipped > 0) {
            context.warn(path + ": " + skipped + " corrupt rpm header(s) skipped");
        }
        return found;
    }

    private static FoundPackage toPackage(RpmHeader h, String path) throws IOException {
        String name = h.string(RpmHeader.NAME);
        String version = h.string(RpmHeader.VERSION);
        String release = h.string(RpmHeader.RELEASE);
        if (name == null || version == null || release == null) {
            throw new IOException("rpm header without name, version or release");
        }
        if (name.equals("gpg-pubkey")) {
            return null;
        }
        Integer epoch = h.int32(RpmHeader.EPOCH);
        String evr = (epoch != null && epoch != 0 ? epoch + ":" : "") + version + "-" + release;
        String sourceName = null;
        String sourceVersion = null;
        String srpm = h.string(RpmHeader.SOURCERPM);
        if (srpm != null && srpm.endsWith(".src.rpm")) {
            // name-version-release.src.rpm; name may contain dashes, version and release do not
            String nvr = srpm.substring(0, srpm.length() - ".src.rpm".length());
            int r = nvr.lastIndexOf('-');
            int v = r > 0 ? nvr.lastIndexOf('-', r - 1) : -1;
            if (v > 0) {
                sourceName = nvr.substring(0, v);
                String srcEvr = (epoch != null && epoch != 0 ? epoch + ":" : "") + nvr.substring(v + 1);
                sourceVersion = srcEvr.equals(evr) ? null : srcEvr;
                if (sourceName.equals(name) && sourceVersion == null) {
                    sourceName = null;
                }
            }
        }
        return new FoundPackage(FoundPackage.Kind.RPM, name, evr, sourceName, sourceVersion,
                h.string(RpmHeader.ARCH), epoch == null ? null : String.valueOf(epoch), path);
    }
}
