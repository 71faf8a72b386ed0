package io.berth.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A typo must fail CI: objects that pass {@link StrictValidator} are mutated in memory (a
 * misspelt field, a wrong type, an API version Kubernetes does not serve) and the validator
 * must report exactly that path. It runs on small fixtures (always here) and on the objects
 * k8s/ really renders; a misspelt kustomization field must fail rendering.
 */
class ManifestTypoTest {

    @Test
    void theFixturesAreValid() {
        for (ObjectNode o : fixtures()) {
            assertEquals(List.of(), StrictValidator.check(o));
        }
    }

    @Test
    void aMisspeltContainerFieldIsReportedWithItsPath() {
        assertTypoIn(deployment(fixtures()));
        assertTypoIn(deployment(Manifests.render("k8s/base")));
    }

    private static void assertTypoIn(ObjectNode deployment) {
        assertOnly(deployment, d -> rename(container(d), "readinessProbe", "readinesProbe"),
                "spec.template.spec.containers[0].readinesProbe: unknown field \"readinesProbe\" in Container");
        assertOnly(deployment, d -> rename((ObjectNode) container(d).path("ports").get(0), "containerPort", "containerPorts"),
                "spec.template.spec.containers[0].ports[0].containerPorts: unknown field \"containerPorts\" in ContainerPort");
        assertOnly(deployment, d -> ((ObjectNode) d.get("spec")).put("replicas", "three"),
                "spec.replicas: ");
        assertOnly(deployment, d -> ((ObjectNode) d.get("spec")).put("replica", 3),
                "spec.replica: unknown field \"replica\" in DeploymentSpec");
    }

    @Test
    void aMisspeltKafkaTopicFieldIsReportedWithItsPath() {
        assertKafkaTopicTypo(Manifests.get(fixtures(), "KafkaTopic", "berth.artifacts"));
        assertKafkaTopicTypo(Manifests.ofKind(Manifests.render("k8s/overlays/ha"), "KafkaTopic").get(0));
    }

    private static void assertKafkaTopicTypo(ObjectNode topic) {
        assertOnly(topic, t -> rename((ObjectNode) t.get("spec"), "partitions", "partition"),
                "spec.partition: unknown field \"partition\" in KafkaTopicSpec");
        assertOnly(topic, t -> ((ObjectNode) t.get("spec")).put("partitions", "twelve"), "spec.partitions: ");
    }

    @Test
    void typosInsidePolymorphicAndMonitoringTypesAreFound() {
        assertOnly(Manifests.get(fixtures(), "KafkaNodePool", "brokers"),
                p -> rename((ObjectNode) p.at("/spec/storage/volumes/0"), "deleteClaim", "deleteClaims"),
                "spec.storage.volumes[0].deleteClaims: unknown field \"deleteClaims\" in PersistentClaimStorage");
        assertOnly(Manifests.get(fixtures(), "ServiceMonitor", "registry-api"),
                m -> rename((ObjectNode) m.at("/spec/endpoints/0"), "path", "paht"),
                "spec.endpoints[0].paht: unknown field \"paht\" in Endpoint");
    }

    @Test
    void aNumberWhereKubernetesWantsAStringFails() {
        assertOnly(deployment(fixtures()), d -> ((ObjectNode) d.at("/spec/template/metadata/labels")).put("tier", 1),
                "spec.template.metadata.labels.tier: ");
    }

    @Test
    void anApiVersionKubernetesDoesNotServeIsRejected() {
        for (String old : List.of("apps/v1beta1", "extensions/v1beta1")) {
            ObjectNode d = deployment(fixtures());
            d.put("apiVersion", old);
            assertTrue(StrictValidator.checkPaths(d).get(0).startsWith("apiVersion/kind: " + old + " Deployment is not an API"),
                    () -> StrictValidator.checkPaths(d).toString());
        }
        ObjectNode pdb = Manifests.parseStream("""
                apiVersion: policy/v1beta1
                kind: PodDisruptionBudget
                metadata: {name: gateway}
                spec: {maxUnavailable: 1}
                """).get(0);
        // fabric8 still carries policy/v1beta1; Kubernetes stopped serving it in 1.25.
        assertFalse(StrictValidator.checkPaths(pdb).isEmpty());
        pdb.put("apiVersion", "policy/v1");
        assertEquals(List.of(), StrictValidator.checkPaths(pdb));
    }

    @Test
    void aMisspeltKustomizationFieldFailsRendering(@TempDir Path tmp) throws IOException {
        Path k8s = Repo.path("k8s");
        Manifests.copyTree(k8s, tmp);
        Path kustomization = tmp.resolve("base/kustomization.yaml");
        String text = Files.readString(kustomization);
        assertTrue(text.contains("\nresources:"), "k8s/base/kustomization.yaml has no resources: list");
        Files.writeString(kustomization, text.replace("\nresources:", "\nresourcess:"));
        Tools.Result r = Tools.run(tmp, "kubectl", "kustomize", tmp.resolve("base").toString());
        assertFalse(r.ok(), "a kustomization with resourcess: rendered");
        assertTrue(r.stderr().contains("unknown field") && r.stderr().contains("resourcess"), r.stderr());
    }

    /** The mutation must give exactly one problem, starting with the expected text. */
    private static void assertOnly(ObjectNode valid, Consumer<ObjectNode> mutation, String expected) {
        assertEquals(List.of(), StrictValidator.checkPaths(valid), "not valid before the mutation");
        ObjectNode o = valid.deepCopy();
        mutation.accept(o);
        List<String> problems = StrictValidator.checkPaths(o);
        assertEquals(1, problems.size(), () -> "expected only " + expected + ", got " + problems);
        assertTrue(problems.get(0).startsWith(expected), () -> "expected " + expected + ", got " + problems.get(0));
    }

    private static void rename(ObjectNode o, String from, String to) {
        assertTrue(o.has(from), () -> o + " has no " + from);
        o.set(to, o.remove(from));
    }

    private static ObjectNode container(ObjectNode deployment) {
        return (ObjectNode) deployment.at("/spec/template/spec/containers/0");
    }

    private static ObjectNode deployment(List<ObjectNode> objects) {
        List<ObjectNode> ds = Manifests.ofKind(objects, "Deployment");
        assertFalse(ds.isEmpty(), "no Deployment");
        ObjectNode d = ds.get(0);
        assertTrue(d.at("/spec/template/spec/containers/0/ports/0").isObject(), Manifests.id(d) + " has no container port");
        return d;
    }

    static List<ObjectNode> fixtures() {
        try (InputStream in = ManifestTypoTest.class.getResourceAsStream("/fixtures/valid.yaml")) {
            return Manifests.parseStream(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
