package io.berth.gateway.console;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which request paths are the console's, and what each means: a file, a page of the single-page
 * app (answered with {@code index.html}), or nothing. Pure string rules on the raw path as the
 * client sent it (still percent-encoded), so nothing is decoded before it is checked.
 */
public final class ConsolePaths {

    /** The console's runtime settings, answered by the gateway itself. */
    public static final String CONFIG = "/console/config.json";

    /**
     * The APIs' prefixes: never a console page, whatever the route table says. Each also covers
     * the bare segment ({@code /api}, {@code /q}).
     */
    static final List<String> RESERVED = List.of("/v2", "/api", "/service", "/.well-known", "/scanner", "/q");

    /**
     * A file's name: segments of letters, digits, {@code _ - .}, none starting with a dot (so no
     * {@code .} or {@code ..}, no hidden file), one slash between them. Nothing else: no
     * {@code %} (so no encoded slash or dot), no backslash, no empty segment.
     */
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

    /**
     * A page of the app: the same segments with the characters its URLs use besides ({@code :}
     * of a digest, {@code @ + = , ~}), an optional slash at the end; again no {@code %}, no
     * backslash, no empty, dot or dot-dot segment.
     */
    private static final Pattern PAGE = Pattern.compile("/([A-Za-z0-9_:@+=,~-][A-Za-z0-9._:@+=,~-]*(/[A-Za-z0-9_:@+=,~-][A-Za-z0-9._:@+=,~-]*)*/?)?");

    /**
     * Extensions of files, so a missing one is 404 and not the app's page. Only these: a page of
     * a repository named {@code team/web.app} or {@code mirror/ghcr.io} keeps its link.
     */
    static final Set<String> FILE_EXTENSIONS = Set.of("html", "htm", "js", "mjs", "css", "map", "json", "svg", "png",
            "jpg", "jpeg", "gif", "webp", "avif", "ico", "woff", "woff2", "ttf", "otf", "txt", "xml", "webmanifest",
            "wasm", "gz", "br", "zip");

    private ConsolePaths() {}

    /** Whether {@code path} belongs to an API: the console never answers it. */
    public static boolean reserved(String path) {
        for (String prefix : RESERVED) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The name of the file {@code path} asks for ({@code /} is {@code index.html}), or empty
     * when the path is not a well-formed file name. Precompressed variants ({@code .gz},
     * {@code .br}) are never asked for by name.
     */
    public static Optional<String> fileName(String path) {
        if (path.equals("/")) {
            return Optional.of("index.html");
        }
        return path.startsWith("/") && FILE.matcher(path.substring(1)).matches() ? Optional.of(path.substring(1))
                : Optional.empty();
    }

    /**
     * Whether {@code path}, naming no file, is a page of the app: well-formed, not reserved, not
     * under {@code /assets} (files only), and its last segment without the extension of a file
     * ({@code /assets/nope.js} and {@code /nope.js} are not pages;
     * {@code /projects/library/repositories/a/b} is).
     */
    public static boolean page(String path) {
        if (reserved(path) || path.equals("/assets") || path.startsWith("/assets/") || !PAGE.matcher(path).matches()) {
            return false;
        }
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        int dot = last.lastIndexOf('.');
        return dot < 0 || !FILE_EXTENSIONS.contains(last.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
