package io.berth.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The schemas rendered objects are checked against, and their pinned versions (the one place
 * that names them; the pom pins the same artifacts and {@code SchemasTest} fails when the
 * classpath carries other versions).
 *
 * <ul>
 *   <li>Built-in kinds and {@code monitoring.coreos.com/v1}: the fabric8 model, every class
 *       its jars register as a {@code KubernetesResource}, keyed by its {@code @Group},
 *       {@code @Version} and kind. Only GA versions of built-in groups are accepted: the model
 *       still carries beta versions that Kubernetes no longer serves (policy/v1beta1,
 *       autoscaling/v2beta2, ...), and berth must not depend on one.</li>
 *   <li>Strimzi's {@code Kafka}, {@code KafkaNodePool}, {@code KafkaTopic}: the Strimzi api
 *       model, for every version its CRDs serve.</li>
 *   <li>Kinds with no schema package on Maven Central (CloudNativePG, the MinIO operator, the
 *       Keycloak operator): see {@link Unmodelled}; only their identity and a few required
 *       fields are checked.</li>
 * </ul>
 */
final class Schemas {

    /** io.fabric8 kubernetes-model-*, the version the Quarkus BOM 3.33.2 pins. */
    static final String FABRIC8_MODEL = "7.5.2";
    /** The Kubernetes API that fabric8 model carries (it has 1.34's PodCertificateProjection, not 1.35's WorkloadReference). */
    static final String KUBERNETES_API = "1.34";
    /** io.strimzi:api. */
    static final String STRIMZI_API = "0.49.0";

    private static final Map<String, Class<?>> MODELS = load();

    private Schemas() {}

    /** The model class of an apiVersion and kind, if the pinned schemas know it. */
    static Optional<Class<?>> model(String apiVersion, String kind) {
        return Optional.ofNullable(MODELS.get(apiVersion + " " + kind));
    }

    private static Map<String, Class<?>> load() {
        Map<String, Class<?>> models = new HashMap<>();
        for (String className : registeredResources()) {
            Class<?> c;
            try {
                c = Class.forName(className, false, Schemas.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                continue; // registered by a jar whose dependencies are not here (none we use)
            }
            Group group = c.getAnnotation(Group.class);
            Version version = c.getAnnotation(Version.class);
            if (group == null || version == null || !isServedVersion(group.value(), version.value())) {
                continue;
            }
            Kind kind = c.getAnnotation(Kind.class);
            String apiVersion = group.value().isEmpty() ? version.value() : group.value() + "/" + version.value();
            models.put(apiVersion + " " + (kind != null ? kind.value() : c.getSimpleName()), c);
        }
        strimzi(models, Kafka.class, Kafka.RESOURCE_GROUP, Kafka.RESOURCE_KIND, Kafka.VERSIONS);
        strimzi(models, KafkaNodePool.class, KafkaNodePool.RESOURCE_GROUP, KafkaNodePool.RESOURCE_KIND, KafkaNodePool.VERSIONS);
        strimzi(models, KafkaTopic.class, KafkaTopic.RESOURCE_GROUP, KafkaTopic.RESOURCE_KIND, KafkaTopic.VERSIONS);
        return Collections.unmodifiableMap(models);
    }

    /** Built-in groups (core and *.k8s.io) and the Prometheus Operator's: GA versions only. */
    private static boolean isServedVersion(String group, String version) {
        boolean builtIn = group.isEmpty() || !group.contains(".") || group.endsWith(".k8s.io");
        boolean ours = builtIn || group.equals("monitoring.coreos.com");
        return ours && version.matches("v\\d+");
    }

    private static void strimzi(Map<String, Class<?>> models, Class<?> c, String group, String kind, List<String> versions) {
        for (String v : versions) {
            models.put(group + "/" + v + " " + kind, c);
        }
    }

    private static List<String> registeredResources() {
        List<String> names = new ArrayList<>();
        try {
            Enumeration<URL> files = Schemas.class.getClassLoader()
                    .getResources("META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource");
            for (URL url : Collections.list(files)) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
                    r.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(names::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /**
     * Custom resources with no schema package on Maven Central: CloudNativePG (and its Barman
     * Cloud plugin's ObjectStore) publishes Go types and CRD YAML only, the MinIO operator likewise, and the Keycloak operator's Java
     * artifact (org.keycloak:keycloak-operator) is not published to Central. For these the
     * check is honest but shallow: apiVersion, kind, metadata.name, and the spec fields their
     * CRDs require (with a type where it is a number). A typo in any other field of these kinds
     * is NOT caught here; the operators' admission (CRD structural schemas) catches it at apply.
     */
    enum Unmodelled {
        CNPG_CLUSTER("postgresql.cnpg.io/v1", "Cluster", Map.of("spec.instances", JsonNode::isInt)),
        CNPG_SCHEDULED_BACKUP("postgresql.cnpg.io/v1", "ScheduledBackup",
                Map.of("spec.schedule", JsonNode::isTextual, "spec.cluster.name", JsonNode::isTextual)),
        CNPG_DATABASE("postgresql.cnpg.io/v1", "Database",
                Map.of("spec.name", JsonNode::isTextual, "spec.owner", JsonNode::isTextual,
                        "spec.cluster.name", JsonNode::isTextual)),
        BARMAN_OBJECT_STORE("barmancloud.cnpg.io/v1", "ObjectStore",
                Map.of("spec.configuration.destinationPath", JsonNode::isTextual)),
        MINIO_TENANT("minio.min.io/v2", "Tenant", Map.of("spec.pools", JsonNode::isArray)),
        KEYCLOAK("k8s.keycloak.org/v2alpha1", "Keycloak", Map.of("spec", JsonNode::isObject)),
        KEYCLOAK_REALM_IMPORT("k8s.keycloak.org/v2alpha1", "KeycloakRealmImport",
                Map.of("spec.keycloakCRName", JsonNode::isTextual, "spec.realm", JsonNode::isObject));

        final String apiVersion;
        final String kind;
        final Map<String, Function<JsonNode, Boolean>> required;

        Unmodelled(String apiVersion, String kind, Map<String, Function<JsonNode, Boolean>> required) {
            this.apiVersion = apiVersion;
            this.kind = kind;
            this.required = required;
        }

        static Optional<Unmodelled> of(String group, String kind) {
            for (Unmodelled u : values()) {
                if (u.kind.equals(kind) && u.apiVersion.startsWith(group + "/")) {
                    return Optional.of(u);
                }
            }
            return Optional.empty();
        }

        /** Problems with one object of this kind, as "path: problem". */
        List<String> check(JsonNode object) {
            List<String> problems = new ArrayList<>();
            if (!apiVersion.equals(object.path("apiVersion").asText())) {
                problems.add("apiVersion: " + object.path("apiVersion").asText() + " is not " + apiVersion
                        + " (the only version of " + kind + " these checks know)");
            }
            required.forEach((path, type) -> {
                JsonNode n = object;
                for (String part : path.split("\\.")) {
                    n = n.path(part);
                }
                if (n.isMissingNode() || n.isNull()) {
                    problems.add(path + ": required by the " + kind + " CRD, missing");
                } else if (!type.apply(n)) {
                    problems.add(path + ": wrong type (" + n.getNodeType() + ")");
                }
            });
            if (kind.equals("Tenant")) {
                JsonNode pools = object.path("spec").path("pools");
                for (int i = 0; i < pools.size(); i++) {
                    for (String f : List.of("servers", "volumesPerServer")) {
                        if (!pools.get(i).path(f).isInt()) {
                            problems.add("spec.pools[" + i + "]." + f + ": required integer");
                        }
                    }
                    if (!pools.get(i).path("volumeClaimTemplate").isObject()) {
                        problems.add("spec.pools[" + i + "].volumeClaimTemplate: required object");
                    }
                }
            }
            return problems;
        }
    }
}
