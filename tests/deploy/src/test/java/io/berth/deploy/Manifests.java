package io.berth.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The objects a kustomization renders to, as JSON trees: {@code kubectl kustomize <dir>}, the
 * YAML stream split into documents. Renders are cached per directory for the test run.
 */
final class Manifests {

    static final List<String> DIRS = List.of("k8s/base", "k8s/overlays/dev", "k8s/overlays/ha");

    static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder().build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final Map<Path, List<ObjectNode>> RENDERED = new ConcurrentHashMap<>();

    private Manifests() {}

    /**
     * The objects {@code k8s/...} (relative to the repository) renders to; fails with kubectl's
     * stderr. It renders a copy of k8s/ in which each git-ignored {@code X.env} that an install
     * makes from {@code X.env.example} (the dev overlay's Secrets) is that example, as an operator
     * following the docs would have it.
     */
    static List<ObjectNode> render(String dir) {
        Repo.path(dir);
        return render(staged().resolve(Repo.root().resolve("k8s").relativize(Repo.root().resolve(dir))));
    }

    private static Path staged;

    private static synchronized Path staged() {
        if (staged != null) {
            return staged;
        }
        Path from = Repo.path("k8s");
        try {
            Path to = Files.createTempDirectory("berth-k8s-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(to)));
            copyTree(from, to);
            try (Stream<Path> files = Files.walk(to)) {
                for (Path example : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".env.example"))::iterator) {
                    Path env = example.resolveSibling(example.getFileName().toString().replaceFirst("\\.example$", ""));
                    if (!Files.exists(env)) {
                        Files.copy(example, env);
                    }
                }
            }
            staged = to;
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<ObjectNode> render(Path dir) {
        return RENDERED.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> {
            Tools.Result r = Tools.run(d, "kubectl", "kustomize", d.toString());
            if (!r.ok()) {
                fail("kubectl kustomize " + d + " failed:\n" + r.stderr());
            }
            List<ObjectNode> objects = parseStream(r.stdout());
            assertTrue(!objects.isEmpty(), d + " renders to no object");
            return List.copyOf(objects);
        }).stream().map(ObjectNode::deepCopy).collect(Collectors.toList());
    }

    /** Copies a directory tree (the k8s/ tree: small). */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static void delete(Path tree) {
        try (Stream<Path> files = Files.walk(tree)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    /** Every document of a YAML stream that is not empty. */
    static List<ObjectNode> parseStream(String yaml) {
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                if (!doc.isObject()) {
                    fail("a rendered document is not an object: " + doc);
                }
                objects.add((ObjectNode) doc);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    static String kind(JsonNode o) {
        return o.path("kind").asText();
    }

    static String name(JsonNode o) {
        return o.path("metadata").path("name").asText();
    }

    /** {@code Kind/name}, how messages name an object. */
    static String id(JsonNode o) {
        return kind(o) + "/" + name(o);
    }

    static List<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(kind(o))).collect(Collectors.toList());
    }

    static Optional<ObjectNode> find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(kind(o)) && name.equals(name(o))).findFirst();
    }

    static ObjectNode get(List<ObjectNode> objects, String kind, String name) {
        return find(objects, kind, name).orElseGet(() -> fail("no " + kind + "/" + name + " among "
                + objects.stream().map(Manifests::id).collect(Collectors.joining(", "))));
    }
}
