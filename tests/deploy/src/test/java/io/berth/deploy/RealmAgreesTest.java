package io.berth.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The realm for containers (k8s/components/keycloak-realm/berth-realm.json) is the local realm
 * (deploy/local/keycloak/berth-realm.json) with placeholders for what differs per site and
 * without the developer user; the ha overlay imports exactly that file; and every placeholder
 * is given to Keycloak by compose and by both overlays.
 */
class RealmAgreesTest {

    static final String REALM = "k8s/components/keycloak-realm/berth-realm.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theContainerRealmIsTheLocalOneWithPlaceholders() {
        ObjectNode want = (ObjectNode) json("deploy/local/keycloak/berth-realm.json");
        for (JsonNode client : want.path("clients")) {
            switch (client.path("clientId").asText()) {
                case "berth-auth" -> ((ObjectNode) client).put("secret", "${BERTH_AUTH_KEYCLOAK_CLIENT_SECRET}");
                case "berth-console" -> ((ObjectNode) client).putArray("redirectUris").add("${BERTH_PUBLIC_URL}/*");
                default -> { }
            }
        }
        ArrayNode users = (ArrayNode) want.path("users");
        for (Iterator<JsonNode> it = users.elements(); it.hasNext(); ) {
            JsonNode u = it.next();
            if (u.path("username").asText().equals("developer")) {
                it.remove();
            } else if (u.path("username").asText().equals("admin")) {
                ((ObjectNode) u.path("credentials").get(0)).put("value", "${BERTH_ADMIN_PASSWORD}");
            }
        }
        assertEquals(want, json(REALM), REALM + " differs from the local realm by more than its placeholders");
    }

    @Test
    void haImportsThatRealm() {
        ObjectNode imp = Manifests.ofKind(Manifests.render("k8s/overlays/ha"), "KeycloakRealmImport").stream().findFirst()
                .orElseGet(() -> org.junit.jupiter.api.Assertions.fail("k8s/overlays/ha has no KeycloakRealmImport"));
        assertEquals(json(REALM), imp.at("/spec/realm"), "the KeycloakRealmImport's spec.realm is not " + REALM);
    }

    @Test
    void composeGivesKeycloakEveryPlaceholder() {
        JsonNode keycloak = ComposeConfigTest.compose().path("services").path("keycloak");
        Set<String> missing = new TreeSet<>(placeholders());
        missing.removeAll(ComposeConfigTest.environment(keycloak).keySet());
        assertEquals(Set.of(), missing, "docker-compose.yml's keycloak service lacks these variables of " + REALM);
    }

    @Test
    void haPassesEveryPlaceholderToTheRealmImport() {
        ObjectNode imp = Manifests.ofKind(Manifests.render("k8s/overlays/ha"), "KeycloakRealmImport").get(0);
        Set<String> missing = new TreeSet<>(placeholders());
        imp.at("/spec/placeholders").fieldNames().forEachRemaining(missing::remove);
        assertEquals(Set.of(), missing, "KeycloakRealmImport spec.placeholders lacks these variables of " + REALM);
    }

    @Test
    void devGivesKeycloakEveryPlaceholder() {
        List<ObjectNode> objects = Manifests.render("k8s/overlays/dev");
        List<String> problems = new ArrayList<>();
        JsonNode container = null;
        for (ObjectNode o : objects) {
            if (Set.of("StatefulSet", "Deployment").contains(Manifests.kind(o)) && Manifests.name(o).equals("keycloak")) {
                container = o.at("/spec/template/spec/containers/0");
            }
        }
        if (container == null) {
            problems.add("k8s/overlays/dev has no keycloak StatefulSet or Deployment");
        } else {
            Set<String> given = new TreeSet<>();
            container.path("env").forEach(e -> given.add(e.path("name").asText()));
            for (JsonNode from : container.path("envFrom")) {
                String cm = from.at("/configMapRef/name").asText();
                Manifests.find(objects, "ConfigMap", cm).ifPresent(c -> c.path("data").fieldNames().forEachRemaining(given::add));
            }
            for (String p : placeholders()) {
                if (!given.contains(p)) {
                    problems.add("keycloak in k8s/overlays/dev is not given " + p + " (env, or envFrom a ConfigMap)");
                }
            }
        }
        assertEquals("", String.join("\n", problems));
    }

    static Set<String> placeholders() {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(Repo.read(REALM));
        while (m.find()) {
            names.add(m.group(1));
        }
        assertFalse(names.isEmpty(), REALM + " has no ${VAR} placeholder");
        return names;
    }

    private static JsonNode json(String file) {
        try {
            return JSON.readTree(Repo.read(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
