package io.berth.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The policies issue #24 sets for the Kubernetes install, checked on what base and both overlays
 * render: probes on /q/health, resources, locked-down security contexts, service accounts
 * without API tokens, a PDB and a ServiceMonitor per service, default-deny NetworkPolicies,
 * HPAs (not in dev, see {@link #DEV}), the ha replica counts and zone spread, no embedded Secret data, and ConfigMaps made
 * from k8s/base/config/*.env. Each check collects every violation before failing.
 */
class ManifestPoliciesTest {

    static final List<String> DIRS = Manifests.DIRS;
    /**
     * The laptop overlay: one replica each and no Prometheus Operator, so it drops the HPAs and
     * ServiceMonitors on purpose (a ServiceMonitor would not even apply without the operator's
     * CRD). Every other policy holds for it too.
     */
    static final String DEV = "k8s/overlays/dev";

    @ParameterizedTest
    @FieldSource("DIRS")
    void everyServiceDeploymentIsLockedDownProbedAndCovered(String dir) {
        List<ObjectNode> objects = Manifests.render(dir);
        List<String> problems = new ArrayList<>();
        for (String svc : Repo.SERVICES) {
            ObjectNode d = Manifests.find(objects, "Deployment", svc).orElse(null);
            if (d == null) {
                problems.add("no Deployment/" + svc);
                continue;
            }
            String p = "Deployment/" + svc + ": ";
            JsonNode pod = d.at("/spec/template/spec");
            JsonNode podLabels = d.at("/spec/template/metadata/labels");
            JsonNode podSc = pod.path("securityContext");
            for (JsonNode c : pod.path("containers")) {
                String cp = p + "container " + c.path("name").asText() + ": ";
                for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                    String path = c.path(probe).path("httpGet").path("path").asText();
                    if (!path.startsWith("/q/health/")) {
                        problems.add(cp + probe + " is not an httpGet on /q/health/* (" + path + ")");
                    }
                }
                for (String r : List.of("requests/cpu", "requests/memory", "limits/memory")) {
                    if (c.at("/resources/" + r).isMissingNode()) {
                        problems.add(cp + "no resources." + r.replace('/', '.'));
                    }
                }
                JsonNode sc = c.path("securityContext");
                if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) {
                    problems.add(cp + "readOnlyRootFilesystem is not true");
                }
                if (!sc.path("allowPrivilegeEscalation").isBoolean() || sc.path("allowPrivilegeEscalation").asBoolean()) {
                    problems.add(cp + "allowPrivilegeEscalation is not false");
                }
                if (!texts(sc.at("/capabilities/drop")).contains("ALL")) {
                    problems.add(cp + "capabilities.drop lacks ALL");
                }
                if (!(podSc.path("runAsNonRoot").asBoolean(false) || sc.path("runAsNonRoot").asBoolean(false))) {
                    problems.add(cp + "runAsNonRoot is not true (pod or container)");
                }
                String seccomp = sc.at("/seccompProfile/type").asText(podSc.at("/seccompProfile/type").asText());
                if (!seccomp.equals("RuntimeDefault")) {
                    problems.add(cp + "seccompProfile is not RuntimeDefault");
                }
            }
            if (!podSc.path("runAsNonRoot").asBoolean(false)) {
                problems.add(p + "pod securityContext.runAsNonRoot is not true");
            }
            if (!podSc.at("/seccompProfile/type").asText().equals("RuntimeDefault")) {
                problems.add(p + "pod securityContext.seccompProfile is not RuntimeDefault");
            }
            String sa = pod.path("serviceAccountName").asText();
            JsonNode account = Manifests.find(objects, "ServiceAccount", sa).orElse(null);
            if (sa.isEmpty() || account == null) {
                problems.add(p + "no ServiceAccount of its own (serviceAccountName: " + sa + ")");
            } else if (!account.path("automountServiceAccountToken").isBoolean()
                    || account.path("automountServiceAccountToken").asBoolean()) {
                problems.add("ServiceAccount/" + sa + ": automountServiceAccountToken is not false");
            }
            if (Manifests.ofKind(objects, "PodDisruptionBudget").stream()
                    .noneMatch(pdb -> selects(pdb.at("/spec/selector"), podLabels))) {
                problems.add(p + "no PodDisruptionBudget selects its pods");
            }
            if (!dir.equals(DEV) && !monitored(objects, podLabels)) {
                problems.add(p + "no ServiceMonitor selects a Service of its pods");
            }
        }
        assertEquals("", String.join("\n", problems), dir);
    }

    @ParameterizedTest
    @FieldSource("DIRS")
    void networkPoliciesDenyByDefaultAndGatewayAndRegistryApiAutoscale(String dir) {
        List<ObjectNode> objects = Manifests.render(dir);
        List<String> problems = new ArrayList<>();
        boolean defaultDeny = Manifests.ofKind(objects, "NetworkPolicy").stream().anyMatch(np ->
                np.at("/spec/podSelector").size() == 0
                        && texts(np.at("/spec/policyTypes")).containsAll(Set.of("Ingress", "Egress"))
                        && np.at("/spec/ingress").size() == 0 && np.at("/spec/egress").size() == 0);
        if (!defaultDeny) {
            problems.add("no NetworkPolicy denies all ingress and egress of every pod (podSelector: {}, no rules)");
        }
        for (String svc : List.of("gateway", "registry-api")) {
            if (!dir.equals(DEV) && hpa(objects, svc) == null) {
                problems.add("no HorizontalPodAutoscaler scales Deployment/" + svc);
            }
        }
        assertEquals("", String.join("\n", problems), dir);
    }

    @Test
    void haRunsThreeGatewaysAndRegistryApisAcrossZonesAndTwoOfTheRest() {
        List<ObjectNode> objects = Manifests.render("k8s/overlays/ha");
        List<String> problems = new ArrayList<>();
        for (String svc : Repo.SERVICES) {
            int want = svc.equals("gateway") || svc.equals("registry-api") ? 3 : 2;
            ObjectNode d = Manifests.get(objects, "Deployment", svc);
            JsonNode hpa = hpa(objects, svc);
            if (d.at("/spec/replicas").isInt() && d.at("/spec/replicas").asInt() != want) {
                problems.add("Deployment/" + svc + ": replicas " + d.at("/spec/replicas") + ", want " + want);
            }
            if (hpa != null && hpa.at("/spec/minReplicas").asInt(1) != want) {
                problems.add("HorizontalPodAutoscaler of " + svc + ": minReplicas " + hpa.at("/spec/minReplicas") + ", want " + want);
            }
            if (hpa == null && !d.at("/spec/replicas").isInt()) {
                problems.add("Deployment/" + svc + ": no replicas and no HPA, want " + want);
            }
            if (want == 3) {
                boolean zones = false;
                for (JsonNode t : d.at("/spec/template/spec/topologySpreadConstraints")) {
                    zones |= t.path("topologyKey").asText().equals("topology.kubernetes.io/zone")
                            && selects(t.path("labelSelector"), d.at("/spec/template/metadata/labels"));
                }
                if (!zones) {
                    problems.add("Deployment/" + svc + ": no topologySpreadConstraint on topology.kubernetes.io/zone selecting its pods");
                }
            }
        }
        assertEquals("", String.join("\n", problems));
    }

    @Test
    void baseEmbedsNoSecretData() {
        List<String> embedded = Manifests.ofKind(Manifests.render("k8s/base"), "Secret").stream()
                .filter(s -> s.path("data").size() > 0 || s.path("stringData").size() > 0)
                .map(Manifests::id).collect(Collectors.toList());
        assertEquals(List.of(), embedded, "k8s/base must reference Secrets, never carry their data");
    }

    @ParameterizedTest
    @FieldSource("DIRS")
    void eachServiceReadsTheConfigMapMadeFromItsEnvFile(String dir) {
        List<ObjectNode> objects = Manifests.render(dir);
        List<String> problems = new ArrayList<>();
        for (String svc : Repo.SERVICES) {
            Set<String> want = Repo.envFile(Repo.path("k8s/base/config/" + svc + ".env")).keySet();
            ObjectNode d = Manifests.get(objects, "Deployment", svc);
            List<JsonNode> configs = new ArrayList<>();
            for (JsonNode c : d.at("/spec/template/spec/containers")) {
                for (JsonNode from : c.path("envFrom")) {
                    String name = from.at("/configMapRef/name").asText();
                    if (name.equals(svc + "-config") || name.startsWith(svc + "-config-")) {
                        Manifests.find(objects, "ConfigMap", name).ifPresentOrElse(configs::add,
                                () -> problems.add("Deployment/" + svc + ": envFrom ConfigMap " + name + " is not rendered"));
                    }
                }
            }
            if (configs.isEmpty()) {
                problems.add("Deployment/" + svc + ": no envFrom configMapRef " + svc + "-config");
                continue;
            }
            Set<String> keys = new TreeSet<>();
            configs.get(0).path("data").fieldNames().forEachRemaining(keys::add);
            // base: exactly the file; an overlay may merge keys in (behavior: merge), never drop one.
            boolean ok = dir.equals("k8s/base") ? keys.equals(new TreeSet<>(want)) : keys.containsAll(want);
            if (!ok) {
                problems.add("ConfigMap " + Manifests.name(configs.get(0)) + " has keys " + keys
                        + ", k8s/base/config/" + svc + ".env has " + new TreeSet<>(want));
            }
        }
        assertEquals("", String.join("\n", problems), dir);
    }

    /** Whether a ServiceMonitor selects a Service whose selector selects these pod labels. */
    private static boolean monitored(List<ObjectNode> objects, JsonNode podLabels) {
        for (ObjectNode svc : Manifests.ofKind(objects, "Service")) {
            JsonNode selector = svc.at("/spec/selector");
            if (selector.size() == 0 || !matches(selector, podLabels)) {
                continue;
            }
            for (ObjectNode sm : Manifests.ofKind(objects, "ServiceMonitor")) {
                if (selects(sm.at("/spec/selector"), svc.at("/metadata/labels"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static JsonNode hpa(List<ObjectNode> objects, String deployment) {
        return Manifests.ofKind(objects, "HorizontalPodAutoscaler").stream()
                .filter(h -> h.at("/spec/scaleTargetRef/kind").asText().equals("Deployment")
                        && h.at("/spec/scaleTargetRef/name").asText().equals(deployment))
                .findFirst().orElse(null);
    }

    /** A LabelSelector (matchLabels and In/Exists expressions) that is not empty and matches the labels. */
    static boolean selects(JsonNode selector, JsonNode labels) {
        JsonNode match = selector.path("matchLabels");
        JsonNode expressions = selector.path("matchExpressions");
        if (match.size() == 0 && expressions.size() == 0) {
            return false;
        }
        if (!matches(match, labels)) {
            return false;
        }
        for (JsonNode e : expressions) {
            String value = labels.path(e.path("key").asText()).asText(null);
            Set<String> values = texts(e.path("values"));
            boolean ok = switch (e.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(JsonNode wanted, JsonNode labels) {
        for (Iterator<Map.Entry<String, JsonNode>> it = wanted.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    static Set<String> texts(JsonNode array) {
        Set<String> s = new TreeSet<>();
        array.forEach(n -> s.add(n.asText()));
        return s;
    }
}
