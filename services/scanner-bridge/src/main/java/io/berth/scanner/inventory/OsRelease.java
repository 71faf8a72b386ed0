package io.berth.scanner.inventory;

import io.berth.scanner.model.Ecosystem;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code os-release} says about the image's distribution.
 *
 * @param id {@code ID} ("debian", "ubuntu", "alpine", "rocky", "almalinux", "rhel")
 * @param versionId {@code VERSION_ID} as written ("12", "22.04", "3.19.1", "9.3"), may be null
 */
public record OsRelease(String id, String versionId) {

    /** The ecosystem of its OS packages; empty for a distribution berth has no advisories for. */
    public Optional<Ecosystem> ecosystem() {
        return Optional.ofNullable(switch (id == null ? "" : id.toLowerCase(Locale.ROOT)) {
            case "debian" -> Ecosystem.DEBIAN;
            case "ubuntu" -> Ecosystem.UBUNTU;
            case "alpine" -> Ecosystem.ALPINE;
            case "rocky" -> Ecosystem.ROCKY;
            case "almalinux" -> Ecosystem.ALMA;
            case "rhel" -> Ecosystem.RED_HAT;
            default -> null;
        });
    }

    /**
     * The release as OSV writes it in "Debian:12", "Ubuntu:22.04", "Alpine:v3.19",
     * "Rocky Linux:9": Alpine gets "v" and major.minor, RPM distributions the major version.
     */
    public String release() {
        if (versionId == null || versionId.isBlank()) {
            return null;
        }
        String[] parts = versionId.split("\\.");
        Ecosystem e = ecosystem().orElse(null);
        if (e == Ecosystem.ALPINE) {
            return "v" + parts[0] + (parts.length > 1 ? "." + parts[1] : "");
        }
        if (e != null && e.scheme() == Ecosystem.Scheme.RPM) {
            return parts[0];
        }
        return versionId;
    }
}
