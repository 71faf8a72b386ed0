package io.berth.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-compose.yml: valid for Compose (docker-compose 1.29's own schema check, which rejects
 * unknown keys and wrong values, so a typo fails), and structured as issue #24 asks.
 * docker-compose must be installed (./berth test installs it); without it these tests fail.
 */
class ComposeConfigTest {

    /**
     * The secrets of the contract (docs/deploy.md) and of the data tier's images: only ever
     * {@code ${VAR}} (or {@code ${VAR:?message}}, or {@code ${VAR:-}} for an optional one) in the
     * compose file. The database user name is not a secret and may have a default.
     */
    static final Set<String> SECRETS = Set.of("QUARKUS_DATASOURCE_PASSWORD",
            "BERTH_STORAGE_ACCESS_KEY", "BERTH_STORAGE_SECRET_KEY", "BERTH_AUTH_KEYCLOAK_CLIENT_SECRET",
            "BERTH_AUTH_KEYS_SECRET", "BERTH_SCANNER_SERVICE_SECRET", "BERTH_REPLICATOR_SERVICE_SECRET",
            "BERTH_REPLICATOR_CREDENTIALS_SECRET", "BERTH_SCANNER_SCANNERS_SECRET", "BERTH_SCANNER_PLUGGABLE_API_KEY",
            "BERTH_ADMIN_PASSWORD", "KEYCLOAK_ADMIN_PASSWORD", "KC_BOOTSTRAP_ADMIN_PASSWORD", "KC_DB_PASSWORD",
            "POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD");

    @Test
    void composeAcceptsTheFile() {
        Tools.Result r = config(Repo.path("docker-compose.yml"));
        assertTrue(r.ok(), "docker-compose config rejects docker-compose.yml:\n" + r.stderr());
    }

    /**
     * .env.example leaves every secret empty, so a copy nobody filled in (no make-env.sh, no hand
     * edits) cannot start a stack with a known password: compose stops at the first one.
     */
    @Test
    void theUnfilledExampleDoesNotStart() {
        Tools.Result r = Tools.run(Repo.root(), "docker-compose", "--project-directory", Repo.root().toString(),
                "--env-file", Repo.path(".env.example").toString(), "config", "-q");
        assertFalse(r.ok(), "docker-compose config accepted .env.example with its secrets empty");
        assertTrue(r.stderr().contains("Missing mandatory value"), r.stderr());
    }

    @Test
    void aTypoIsRejected(@TempDir Path tmp) throws IOException {
        String text = Repo.read("docker-compose.yml");
        for (String[] typo : List.of(new String[] {"healthcheck:", "healthchek:"},
                new String[] {"condition: service_healthy", "condition: service_healty"})) {
            assertTrue(text.contains(typo[0]), "docker-compose.yml has no " + typo[0]);
            Path copy = tmp.resolve("typo.yml");
            Files.writeString(copy, text.replaceFirst(typo[0], typo[1]));
            Tools.Result r = config(copy);
            assertFalse(r.ok(), "docker-compose config accepted " + typo[1]);
            assertTrue(r.stderr().contains(typo[1].replace("condition: ", "").replace(":", "")), r.stderr());
        }
    }

    @Test
    void onlyTheGatewayPublishesPorts() {
        List<String> publishing = new ArrayList<>();
        services().forEachRemaining(s -> {
            if (s.getValue().has("ports")) {
                publishing.add(s.getKey());
            }
        });
        assertEquals(List.of("gateway"), publishing);
    }

    /**
     * deploy/compose/console-sso.yml, added for the console: valid with the main file, and Keycloak's
     * public URL is the one issuer auth checks, the gateway gives the console and Keycloak writes.
     */
    @Test
    void theConsoleSignInFileNamesOneIssuerEverywhere() {
        Tools.Result r = Tools.run(Repo.root(), "docker-compose", "--project-directory", Repo.root().toString(),
                "-f", Repo.path("docker-compose.yml").toString(), "-f", Repo.path("deploy/compose/console-sso.yml").toString(),
                "--env-file", filledEnv().toString(), "config");
        assertTrue(r.ok(), "docker-compose config rejects docker-compose.yml with console-sso.yml:\n" + r.stderr());
        JsonNode merged = Manifests.YAML.valueToTree(new org.yaml.snakeyaml.Yaml().load(r.stdout()));
        JsonNode services = merged.path("services");
        String issuer = "http://127.0.0.1:8180/realms/berth";
        assertEquals(issuer, environment(services.path("auth")).get("BERTH_AUTH_KEYCLOAK_ISSUER"));
        assertEquals(issuer, environment(services.path("gateway")).get("BERTH_GATEWAY_CONSOLE_OIDC_ISSUER"));
        assertEquals(issuer, environment(services.path("keycloak")).get("KC_HOSTNAME") + "/realms/berth");
        assertTrue(services.path("keycloak").path("ports").toString().contains("127.0.0.1"),
                "Keycloak is published on loopback by default: " + services.path("keycloak").path("ports"));
    }

    @Test
    void eachServiceReadsItsEnvFileFromK8sBaseConfig() {
        JsonNode services = compose().path("services");
        List<String> problems = new ArrayList<>();
        for (String svc : Repo.SERVICES) {
            Set<String> files = new TreeSet<>();
            JsonNode envFile = services.path(svc).path("env_file");
            if (envFile.isTextual()) {
                files.add(envFile.asText().replaceFirst("^\\./", ""));
            }
            envFile.forEach(f -> files.add(f.asText().replaceFirst("^\\./", "")));
            if (!files.contains("k8s/base/config/" + svc + ".env")) {
                problems.add(svc + ": env_file " + files + " lacks k8s/base/config/" + svc + ".env");
            }
        }
        assertEquals("", String.join("\n", problems));
    }

    @Test
    void secretsComeOnlyFromTheEnvironment() {
        List<String> literals = new ArrayList<>();
        services().forEachRemaining(s -> environment(s.getValue()).forEach((k, v) -> {
            if (SECRETS.contains(k) && !v.matches("\\$\\{[A-Z0-9_]+(:?\\?[^}]*|:-)?}")) {
                literals.add(s.getKey() + ": " + k + "=" + v);
            }
        }));
        assertEquals(List.of(), literals, "secret values must be ${VARIABLE}s from .env, with no default");
    }

    @Test
    void everyLongRunningServiceHasAHealthcheck() {
        // A one-shot job (others wait for it with service_completed_successfully) needs none.
        Set<String> oneShot = new TreeSet<>();
        services().forEachRemaining(s -> s.getValue().path("depends_on").fields().forEachRemaining(d -> {
            if (d.getValue().path("condition").asText().equals("service_completed_successfully")) {
                oneShot.add(d.getKey());
            }
        }));
        List<String> missing = new ArrayList<>();
        services().forEachRemaining(s -> {
            if (!oneShot.contains(s.getKey()) && !s.getValue().has("healthcheck")) {
                missing.add(s.getKey());
            }
        });
        assertEquals(List.of(), missing, "services without a healthcheck");
        for (String svc : Repo.SERVICES) {
            assertTrue(compose().path("services").has(svc), "docker-compose.yml has no service " + svc);
        }
    }

    static Tools.Result config(Path file) {
        return Tools.run(Repo.root(), "docker-compose", "--project-directory", Repo.root().toString(),
                "-f", file.toString(), "--env-file", filledEnv().toString(), "config", "-q");
    }

    private static Path filledEnv;

    /** An .env as an operator makes it: deploy/compose/make-env.sh, random secrets (once per run). */
    static synchronized Path filledEnv() {
        if (filledEnv == null) {
            try {
                Path dir = Files.createTempDirectory("berth-compose-env");
                dir.toFile().deleteOnExit();
                Path env = dir.resolve(".env");
                Tools.Result r = Tools.run(Repo.root(), Repo.path("deploy/compose/make-env.sh").toString(),
                        "https://registry.example.com:5443", env.toString());
                assertTrue(r.ok(), "make-env.sh failed:\n" + r.stderr());
                env.toFile().deleteOnExit();
                filledEnv = env;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return filledEnv;
    }

    /** docker-compose.yml as Compose reads it: SnakeYAML resolves its anchors and merge keys ({@code <<: *x}). */
    static JsonNode compose() {
        Object yaml = new org.yaml.snakeyaml.Yaml().load(Repo.read("docker-compose.yml"));
        return Manifests.YAML.valueToTree(yaml);
    }

    static Iterator<Map.Entry<String, JsonNode>> services() {
        return compose().path("services").fields();
    }

    /** A service's environment, from either the map or the KEY=value list form. */
    static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        JsonNode e = service.path("environment");
        if (e.isObject()) {
            e.fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
        } else {
            for (JsonNode line : e) {
                String l = line.asText();
                int eq = l.indexOf('=');
                env.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
            }
        }
        return env;
    }
}
