package io.berth.gateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The console's files, read once from a classpath folder (a directory in tests, the
 * berth-console jar in a build) and kept in memory: the build is well under 5 MiB, and serving
 * from memory never blocks an event loop. Only names the strict file pattern of
 * {@link ConsolePaths#fileName} accepts are kept; a {@code .gz} or {@code .br} beside a file is
 * its precompressed variant, never a file of its own.
 */
public final class ConsoleFiles {

    private static final Logger LOG = Logger.getLogger(ConsoleFiles.class);

    private final Map<String, ConsoleFile> files;

    private ConsoleFiles(Map<String, ConsoleFile> files) {
        this.files = Map.copyOf(files);
    }

    /**
     * Reads every file under {@code root} that {@code loader} can list (if the folder is on the
     * classpath more than once, the first copy of a name wins). None is not an error: the
     * gateway was built without the console.
     *
     * @throws UncheckedIOException if a listed file cannot be read
     */
    public static ConsoleFiles load(ClassLoader loader, String root) {
        String folder = root.replaceAll("^/+|/+$", "");
        Map<String, byte[]> raw = new HashMap<>();
        try {
            Enumeration<URL> urls = loader.getResources(folder);
            while (urls.hasMoreElements()) {
                URL url = urls.nextElement();
                switch (url.getProtocol()) {
                    case "file" -> readDirectory(Path.of(url.toURI()), raw);
                    case "jar" -> readJar(url, raw);
                    default -> LOG.warnf("cannot list the console's files at %s; they are not served", url);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console's files under classpath " + folder, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("a classpath URL that is no URI: " + e.getInput(), e);
        }
        Map<String, ConsoleFile> files = new HashMap<>();
        raw.forEach((name, bytes) -> {
            if (!name.endsWith(".gz") && !name.endsWith(".br")) {
                files.put(name, ConsoleFile.of(name, bytes, raw.get(name + ".gz"), raw.get(name + ".br")));
            }
        });
        return new ConsoleFiles(files);
    }

    /** The file called {@code name} ({@code assets/app-1a2b.js}), if the console has it. */
    public Optional<ConsoleFile> get(String name) {
        return Optional.ofNullable(files.get(name));
    }

    /** How many files (variants not counted). */
    public int size() {
        return files.size();
    }

    private static void readDirectory(Path dir, Map<String, byte[]> into) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                keep(dir.relativize(p).toString().replace('\\', '/'), () -> Files.readAllBytes(p), into);
            }
        }
    }

    private static void readJar(URL url, Map<String, byte[]> into) throws IOException {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        String prefix = connection.getEntryName().replaceAll("/+$", "") + "/";
        try (JarFile jar = connection.getJarFile()) {
            for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
                if (!entry.isDirectory() && entry.getName().startsWith(prefix)) {
                    keep(entry.getName().substring(prefix.length()), () -> {
                        try (InputStream in = jar.getInputStream(entry)) {
                            return in.readAllBytes();
                        }
                    }, into);
                }
            }
        }
    }

    private interface Bytes {
        byte[] read() throws IOException;
    }

    private static void keep(String name, Bytes bytes, Map<String, byte[]> into) throws IOException {
        if (!ConsolePaths.fileName("/" + name).isPresent()) {
            LOG.debugf("console file %s has a name no request can ask for; left out", name);
            return;
        }
        if (!into.containsKey(name)) {
            into.put(name, bytes.read());
        }
    }
}
