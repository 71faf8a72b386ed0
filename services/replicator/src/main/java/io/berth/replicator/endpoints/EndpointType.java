package io.berth.replicator.endpoints;

import java.util.Arrays;
import java.util.Optional;

/**
 * What is at the other end of an endpoint. The client speaks the distribution API (Basic or the
 * Docker token flow) to all of them; the type is what later parts need to know beyond it (Docker
 * Hub's {@code library/} namespace and rate limits, Harbor's and berth's projects).
 */
public enum EndpointType {
    BERTH("berth"),
    DISTRIBUTION("distribution"),
    HARBOR("harbor"),
    DOCKER_HUB("docker-hub"),
    QUAY("quay"),
    GENERIC_OCI("generic-oci");

    /** Docker Hub's registry, the URL of a {@code docker-hub} endpoint that names none. */
    public static final String DOCKER_HUB_URL = "https://registry-1.docker.io";

    private final String wire;

    EndpointType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<EndpointType> fromWire(String s) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(s)).findFirst();
    }

    /** Every wire name, for error messages: "berth, distribution, ...". */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(EndpointType::wire).toList());
    }
}
