package io.berth.deploy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classpath carries the schema versions {@link Schemas} names, and they know what berth uses. */
class SchemasTest {

    @Test
    void theModelsAreThePinnedVersions() throws IOException {
        assertEquals(Schemas.FABRIC8_MODEL, mavenVersion(Pod.class, "io.fabric8", "kubernetes-model-core"));
        assertEquals(Schemas.FABRIC8_MODEL, mavenVersion(ServiceMonitor.class, "io.fabric8", "openshift-model-monitoring"));
        assertEquals(Schemas.STRIMZI_API, Kafka.class.getPackage().getImplementationVersion() != null
                ? Kafka.class.getPackage().getImplementationVersion()
                : mavenVersion(Kafka.class, "io.strimzi", "api"));
    }

    @Test
    void theSchemasKnowTheKindsBerthUsesAndNotRetiredOnes() {
        for (String known : new String[] {"v1 ConfigMap", "apps/v1 Deployment", "apps/v1 StatefulSet", "batch/v1 Job",
                "policy/v1 PodDisruptionBudget", "autoscaling/v2 HorizontalPodAutoscaler",
                "networking.k8s.io/v1 NetworkPolicy", "networking.k8s.io/v1 Ingress", "monitoring.coreos.com/v1 ServiceMonitor",
                "kafka.strimzi.io/v1 Kafka", "kafka.strimzi.io/v1 KafkaNodePool", "kafka.strimzi.io/v1 KafkaTopic",
                "kafka.strimzi.io/v1beta2 Kafka", "kafka.strimzi.io/v1beta2 KafkaNodePool", "kafka.strimzi.io/v1beta2 KafkaTopic"}) {
            String[] p = known.split(" ");
            assertTrue(Schemas.model(p[0], p[1]).isPresent(), known);
        }
        for (String retired : new String[] {"apps/v1beta1 Deployment", "policy/v1beta1 PodDisruptionBudget",
                "autoscaling/v2beta2 HorizontalPodAutoscaler", "networking.k8s.io/v1beta1 Ingress"}) {
            String[] p = retired.split(" ");
            assertFalse(Schemas.model(p[0], p[1]).isPresent(), retired);
        }
    }

    private static String mavenVersion(Class<?> c, String group, String artifact) throws IOException {
        try (InputStream in = c.getResourceAsStream("/META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
            assertTrue(in != null, "no pom.properties of " + artifact);
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        }
    }
}
