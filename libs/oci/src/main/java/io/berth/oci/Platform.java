package io.berth.oci;

import java.util.Objects;

/**
 * The platform an image in an index or manifest list runs on, e.g. {@code linux/arm64/v8}: the
 * part of an index entry's {@code platform} object that clients select by. Other platform fields
 * ({@code os.version}, {@code os.features}) are not kept.
 *
 * @param architecture the CPU architecture in Go's {@code GOARCH} spelling, e.g. {@code amd64}; never null
 * @param os the operating system in Go's {@code GOOS} spelling, e.g. {@code linux}; never null
 * @param variant the CPU variant, e.g. {@code v8}, or {@code null} when absent
 */
public record Platform(String architecture, String os, String variant) {

    /**
     * Checks the required components.
     *
     * @throws NullPointerException if {@code architecture} or {@code os} is null
     */
    public Platform {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(os, "os");
    }

    /** {@code os/architecture[/variant]}, the form {@code docker --platform} takes. */
    @Override
    public String toString() {
        return variant == null ? os + "/" + architecture : os + "/" + architecture + "/" + variant;
    }
}
