package io.berth.scanner.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.regex.Pattern;

/**
 * npm: {@code package.json} of an installed package, {@code .../node_modules/<name>/package.json}
 * or {@code .../node_modules/@scope/<name>/package.json}, at any depth (nested node_modules
 * hold other versions). Its {@code name} and {@code version}; a file without both, or not
 * JSON, is skipped with a warning.
 */
final class NpmAnalyzer implements Analyzer {

    private static final Pattern PATH =
            Pattern.compile("(?:.*/)?node_modules/(?:@[^/]+/)?[^/@][^/]*/package\\.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public boolean wants(String path, int mode) {
        return path.endsWith("/package.json") && PATH.matcher(path).matches();
    }

    @Override
    public long maxBytes(InventoryLimits limits) {
        return limits.metadataBytes();
    }

    @Override
    public Findings analyze(String path, InputStream content, long size, Context context) throws IOException {
        JsonNode json = JSON.readTree(content.readNBytes((int) size));
        JsonNode name = json == null ? null : json.get("name");
        JsonNode version = json == null ? null : json.get("version");
        if (name == null || !name.isTextual() || name.asText().isBlank()
                || version == null || !version.isTextual() || version.asText().isBlank()) {
            context.warn(path + ": no name or version, ignored");
            return Findings.NONE;
        }
        return Findings.of(List.of(FoundPackage.language(FoundPackage.Kind.NPM, name.asText().trim(),
                version.asText().trim(), path)));
    }
}
