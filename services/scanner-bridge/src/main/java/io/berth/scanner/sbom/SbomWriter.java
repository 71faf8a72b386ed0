package io.berth.scanner.sbom;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import io.berth.scanner.inventory.Inventory;
import io.berth.scanner.inventory.OsRelease;
import io.berth.scanner.model.InstalledPackage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;

/**
 * Writes an {@link Inventory} as a CycloneDX 1.6 JSON SBOM, with cyclonedx-core-java's model and
 * generator. {@code metadata.component} is the image (a {@code container} named by its
 * repository, versioned by its manifest digest, with that digest as its SHA-256 hash and a
 * {@code pkg:oci} package URL); the OS is an {@code operating-system} component; every package
 * is a {@code library} component with its package URL as {@code purl} and {@code bom-ref}
 * (made unique when one package sits in several places), and {@code berth:*} properties that
 * say where it was found: {@code berth:ecosystem} (OSV form, "Debian:12"), {@code berth:path},
 * {@code berth:layer}, {@code berth:source-name}, {@code berth:source-version}.
 *
 * <p>The bytes are a function of the image and the inventory only (ADR 0035): no timestamp, and
 * a serial number derived from the rest of the document (a name-based UUID of it). A rescan that
 * finds the same packages, after a vulnerability database import for instance, writes the same
 * SBOM, so its OCI artifact in the registry is the one already pushed, not one more.
 */
public final class SbomWriter {

    public static final String MEDIA_TYPE = "application/vnd.cyclonedx+json";
    static final Version SPEC = Version.VERSION_16;

    /** The SBOM of {@code image}, whose final filesystem {@code inventory} lists. */
    public Sbom write(ImageSubject image, Inventory inventory) {
        Bom bom = new Bom();
        bom.setVersion(1);
        Metadata metadata = new Metadata();
        // The library stamps a new Metadata with the current time; the SBOM carries none.
        metadata.setTimestamp(null);
        metadata.setComponent(imageComponent(image));
        Component tool = new Component();
        tool.setType(Component.Type.APPLICATION);
        tool.setName("berth-scanner");
        ToolInformation tools = new ToolInformation();
        tools.setComponents(List.of(tool));
        metadata.setToolChoice(tools);
        bom.setMetadata(metadata);

        List<Component> components = new ArrayList<>();
        if (inventory.os() != null) {
            components.add(osComponent(inventory.os()));
        }
        Map<String, Integer> refs = new HashMap<>();
        for (InstalledPackage p : inventory.packages()) {
            components.add(packageComponent(p, refs));
        }
        bom.setComponents(components);
        try {
            byte[] unnumbered = BomGeneratorFactory.createJson(SPEC, bom).toJsonString().getBytes(StandardCharsets.UTF_8);
            bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes(unnumbered));
            String json = BomGeneratorFactory.createJson(SPEC, bom).toJsonString();
            return new Sbom(json.getBytes(StandardCharsets.UTF_8), MEDIA_TYPE);
        } catch (GeneratorException e) {
            // the model is built here from plain strings: a failure is a bug, not bad input
            throw new IllegalStateException("CycloneDX generation failed: " + e.getMessage(), e);
        }
    }

    private static Component imageComponent(ImageSubject image) {
        Component c = new Component();
        c.setType(Component.Type.CONTAINER);
        c.setName(image.name());
        c.setVersion(image.digest());
        c.setBomRef(image.name() + "@" + image.digest());
        if (image.digest().startsWith("sha256:")) {
            c.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, image.digest().substring("sha256:".length()))));
        }
        String simpleName = image.name().substring(image.name().lastIndexOf('/') + 1);
        try {
            c.setPurl(new PackageURL("oci", null, simpleName, image.digest(), null, null).canonicalize());
        } catch (MalformedPackageURLException e) {
            // a repository name a purl cannot carry: the image is still named by name and digest
        }
        return c;
    }

    private static Component osComponent(OsRelease os) {
        Component c = new Component();
        c.setType(Component.Type.OPERATING_SYSTEM);
        c.setName(os.id());
        if (os.versionId() != null) {
            c.setVersion(os.versionId());
        }
        c.setBomRef("os:" + os.id() + (os.versionId() == null ? "" : "-" + os.versionId()));
        return c;
    }

    private static Component packageComponent(InstalledPackage p, Map<String, Integer> refs) {
        Component c = new Component();
        c.setType(Component.Type.LIBRARY);
        String name = p.name();
        int split = switch (p.ecosystem()) {
            case MAVEN -> name.indexOf(':');
            case NPM -> name.startsWith("@") ? name.indexOf('/') : -1;
            default -> -1;
        };
        if (split > 0) {
            c.setGroup(name.substring(0, split));
            c.setName(name.substring(split + 1));
        } else {
            c.setName(name);
        }
        c.setVersion(p.version());
        String ref = p.purl() != null ? p.purl() : p.ecosystem().purlType() + ":" + name + "@" + p.version();
        int seen = refs.merge(ref, 1, Integer::sum);
        c.setBomRef(seen == 1 ? ref : ref + "#" + seen);
        if (p.purl() != null) {
            c.setPurl(p.purl());
        }
        List<Property> props = new ArrayList<>();
        props.add(new Property("berth:ecosystem",
                p.ecosystem().osvName() + (p.release() != null ? ":" + p.release() : "")));
        if (p.sourceName() != null) {
            props.add(new Property("berth:source-name", p.sourceName()));
        }
        if (p.sourceVersion() != null) {
            props.add(new Property("berth:source-version", p.sourceVersion()));
        }
        if (p.path() != null) {
            props.add(new Property("berth:path", p.path()));
        }
        if (p.layer() != null) {
            props.add(new Property("berth:layer", p.layer()));
        }
        c.setProperties(props);
        return c;
    }
}
