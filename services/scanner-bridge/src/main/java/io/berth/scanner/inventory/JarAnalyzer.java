package io.berth.scanner.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.io.input.CloseShieldInputStream;

/**
 * Java archives ({@code .jar}, {@code .war}, {@code .ear}), walked as streams with
 * {@link ZipInputStream}: never extracted, never held whole, whatever their size. Every
 * {@code META-INF/maven/<g>/<a>/pom.properties} inside counts (a shaded jar carries one per
 * artifact it swallowed); only when a jar has none does its {@code MANIFEST.MF} name it
 * ({@code Implementation-Vendor-Id:Implementation-Title} and {@code Implementation-Version}, else
 * {@code Bundle-SymbolicName} and {@code Bundle-Version}). Jars inside jars (Spring Boot's
 * {@code BOOT-INF/lib}, a war's {@code WEB-INF/lib}) are walked the same way, down to
 * {@link InventoryLimits#jarDepth()}. A jar that is not a zip or breaks half-way keeps what was
 * found before the break and gives a warning.
 */
final class JarAnalyzer implements Analyzer {

    private static final String POM_PREFIX = "META-INF/maven/";
    private static final String POM_SUFFIX = "/pom.properties";

    @Override
    public boolean wants(String path, int mode) {
        return isArchive(path);
    }

    @Override
    public long maxBytes(InventoryLimits limits) {
        return Long.MAX_VALUE; // streamed, never held
    }

    @Override
    public Findings analyze(String path, InputStream content, long size, Context context) {
        List<FoundPackage> found = new ArrayList<>();
        walk(content, path, 1, found, context);
        return Findings.of(found);
    }

    private void walk(InputStream content, String jarPath, int depth, List<FoundPackage> found, Context context) {
        List<FoundPackage> poms = new ArrayList<>();
        FoundPackage fromManifest = null;
        int metadataCap = context.limits().metadataBytes();
        // the shield keeps ZipInputStream.close() from closing the tar (or the outer jar)
        try (ZipInputStream zip = new ZipInputStream(CloseShieldInputStream.wrap(content))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (entry.isDirectory()) {
                    continue;
                }
                String name = EntryPaths.normalise(entry.getName());
                String where = jarPath + "!/" + name;
                if (name.startsWith(POM_PREFIX) && name.endsWith(POM_SUFFIX)) {
                    byte[] bytes = capped(zip, metadataCap, where, context);
                    FoundPackage p = bytes == null ? null : fromPom(bytes, where);
                    if (p != null) {
                        poms.add(p);
                    }
                } else if (name.equals("META-INF/MANIFEST.MF")) {
                    byte[] bytes = capped(zip, metadataCap, where, context);
                    fromManifest = bytes == null ? null : fromManifest(bytes, where);
                } else if (isArchive(name)) {
                    if (depth < context.limits().jarDepth()) {
                        walk(zip, where, depth + 1, found, context);
                    } else {
                        context.warn(where + ": nested deeper than " + context.limits().jarDepth() + " jars, not read");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            context.warn(jarPath + ": not a readable jar (" + e.getMessage() + "), packages after the break are missing");
        }
        found.addAll(poms);
        if (poms.isEmpty() && fromManifest != null) {
            found.add(fromManifest);
        }
    }

    private static byte[] capped(InputStream in, int cap, String where, Context context) throws IOException {
        byte[] bytes = in.readNBytes(cap + 1);
        if (bytes.length > cap) {
            context.warn(where + ": larger than " + cap + " bytes, not read");
            return null;
        }
        return bytes;
    }

    private static FoundPackage fromPom(byte[] bytes, String where) {
        Properties props = new Properties();
        try {
            props.load(new java.io.ByteArrayInputStream(bytes));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        String group = trimmed(props.getProperty("groupId"));
        String artifact = trimmed(props.getProperty("artifactId"));
        String version = trimmed(props.getProperty("version"));
        if (group == null || artifact == null || version == null) {
            return null;
        }
        return FoundPackage.language(FoundPackage.Kind.MAVEN, group + ":" + artifact, version, where);
    }

    private static FoundPackage fromManifest(byte[] bytes, String where) {
        Attributes main;
        try {
            main = new Manifest(new java.io.ByteArrayInputStream(bytes)).getMainAttributes();
        } catch (IOException | RuntimeException e) {
            return null;
        }
        String title = trimmed(main.getValue("Implementation-Title"));
        String version = trimmed(main.getValue("Implementation-Version"));
        String vendorId = trimmed(main.getValue("Implementation-Vendor-Id"));
        if (title != null && version != null) {
            String name = vendorId != null ? vendorId + ":" + title : title;
            return FoundPackage.language(FoundPackage.Kind.MAVEN, name, version, where);
        }
        String symbolicName = trimmed(main.getValue("Bundle-SymbolicName"));
        String bundleVersion = trimmed(main.getValue("Bundle-Version"));
        if (symbolicName != null && bundleVersion != null) {
            int semicolon = symbolicName.indexOf(';'); // ";singleton:=true"
            String name = (semicolon < 0 ? symbolicName : symbolicName.substring(0, semicolon)).trim();
            return FoundPackage.language(FoundPackage.Kind.MAVEN, name, bundleVersion, where);
        }
        return null;
    }

    private static boolean isArchive(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".jar") || lower.endsWith(".war") || lower.endsWith(".ear");
    }

    private static String trimmed(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
