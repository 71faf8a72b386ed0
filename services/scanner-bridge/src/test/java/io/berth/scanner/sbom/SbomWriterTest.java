package io.berth.scanner.sbom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.scanner.inventory.Inventory;
import io.berth.scanner.inventory.OsRelease;
import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cyclonedx.Version;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;

/** The SBOM validates against the CycloneDX 1.6 schema and says what the inventory found. */
class SbomWriterTest {

    private static final String DIGEST = "sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b";

    private final SbomWriter writer = new SbomWriter();

    private static Inventory inventory() {
        return new Inventory(new OsRelease("debian", "12"), List.of(
                new InstalledPackage(Ecosystem.DEBIAN, "12", "libssl3", "3.0.19-1~deb12u2", "openssl", null,
                        "pkg:deb/debian/libssl3@3.0.19-1~deb12u2?arch=amd64&distro=debian-12",
                        "var/lib/dpkg/status", "sha256:base"),
                new InstalledPackage(Ecosystem.MAVEN, null, "org.apache.commons:commons-compress", "1.28.0", null, null,
                        "pkg:maven/org.apache.commons/commons-compress@1.28.0",
                        "app/a.jar!/META-INF/maven/org.apache.commons/commons-compress/pom.properties", "sha256:app"),
                new InstalledPackage(Ecosystem.MAVEN, null, "org.apache.commons:commons-compress", "1.28.0", null, null,
                        "pkg:maven/org.apache.commons/commons-compress@1.28.0",
                        "app/b.jar!/META-INF/maven/org.apache.commons/commons-compress/pom.properties", "sha256:app"),
                new InstalledPackage(Ecosystem.NPM, null, "@babel/core", "7.23.9", null, null,
                        "pkg:npm/%40babel/core@7.23.9", "app/node_modules/@babel/core/package.json", "sha256:app"),
                new InstalledPackage(Ecosystem.PYPI, null, "PyYAML", "6.0.1", null, null, null,
                        "usr/lib/python3/dist-packages/PyYAML-6.0.1.dist-info/METADATA", "sha256:app")),
                List.of());
    }

    @Test
    void validCycloneDx16WithTheImageAsMetadataComponent() throws Exception {
        Sbom sbom = writer.write(new ImageSubject("library/app", DIGEST), inventory());
        assertEquals("application/vnd.cyclonedx+json", sbom.mediaType());
        JsonParser parser = new JsonParser();
        assertEquals(List.of(), parser.validate(sbom.content(), Version.VERSION_16));

        Bom bom = parser.parse(sbom.content());
        Component image = bom.getMetadata().getComponent();
        assertEquals(Component.Type.CONTAINER, image.getType());
        assertEquals("library/app", image.getName());
        assertEquals(DIGEST, image.getVersion());
        assertEquals(DIGEST.substring(7), image.getHashes().get(0).getValue());
        assertEquals("pkg:oci/app@sha256%3A" + DIGEST.substring(7), image.getPurl());
        assertTrue(bom.getSerialNumber().startsWith("urn:uuid:"));

        assertEquals(6, bom.getComponents().size(), "the OS and five packages");
        Component os = bom.getComponents().get(0);
        assertEquals(Component.Type.OPERATING_SYSTEM, os.getType());
        assertEquals("debian", os.getName());
        assertEquals("12", os.getVersion());
    }

    @Test
    void theSameImageAndInventoryGiveTheSameBytesAndAnotherInventoryAnotherSerial() throws Exception {
        Sbom one = writer.write(new ImageSubject("library/app", DIGEST), inventory());
        Sbom again = new SbomWriter().write(new ImageSubject("library/app", DIGEST), inventory());
        assertTrue(java.util.Arrays.equals(one.content(), again.content()));
        Inventory fewer = new Inventory(inventory().os(), inventory().packages().subList(0, 2), List.of());
        Sbom other = writer.write(new ImageSubject("library/app", DIGEST), fewer);
        String serial = new ObjectMapper().readTree(one.content()).get("serialNumber").asText();
        String otherSerial = new ObjectMapper().readTree(other.content()).get("serialNumber").asText();
        assertTrue(serial.matches("urn:uuid:[0-9a-f-]{36}"), serial);
        assertTrue(!serial.equals(otherSerial), "a different document has a different serial number");
    }

    @Test
    void oneComponentPerPackageWithPurlGroupAndWhereItWasFound() throws Exception {
        byte[] json = writer.write(new ImageSubject("library/app", DIGEST), inventory()).content();
        JsonNode root = new ObjectMapper().readTree(json);
        assertEquals("CycloneDX", root.get("bomFormat").asText());
        assertEquals("1.6", root.get("specVersion").asText());
        assertTrue(root.get("metadata").get("timestamp") == null, "no timestamp: the same image gives the same bytes");
        JsonNode components = root.get("components");

        JsonNode libssl = components.get(1);
        assertEquals("libssl3", libssl.get("name").asText());
        assertEquals("pkg:deb/debian/libssl3@3.0.19-1~deb12u2?arch=amd64&distro=debian-12", libssl.get("purl").asText());
        assertEquals("library", libssl.get("type").asText());
        assertEquals(List.of("berth:ecosystem=Debian:12", "berth:source-name=openssl",
                "berth:path=var/lib/dpkg/status", "berth:layer=sha256:base"), properties(libssl));

        JsonNode maven = components.get(2);
        assertEquals("org.apache.commons", maven.get("group").asText());
        assertEquals("commons-compress", maven.get("name").asText());
        JsonNode npm = components.get(4);
        assertEquals("@babel", npm.get("group").asText());
        assertEquals("core", npm.get("name").asText());
        JsonNode pypi = components.get(5);
        assertEquals("PyYAML", pypi.get("name").asText());
        assertTrue(pypi.get("purl") == null, "a package without a purl gets none");

        Set<String> refs = new HashSet<>();
        components.forEach(c -> assertTrue(refs.add(c.get("bom-ref").asText()), "bom-refs are unique: " + c));
        assertTrue(refs.contains("pkg:maven/org.apache.commons/commons-compress@1.28.0#2"));
    }

    @Test
    void anEmptyInventoryIsAValidSbomOfTheImageAlone() throws Exception {
        Sbom sbom = writer.write(new ImageSubject("scratch-image", DIGEST), new Inventory(null, List.of(), List.of()));
        assertEquals(List.of(), new JsonParser().validate(sbom.content(), Version.VERSION_16));
        assertNotNull(new JsonParser().parse(sbom.content()).getMetadata().getComponent());
    }

    @Test
    void theValidatorUsedAboveDoesRejectABrokenDocument() throws Exception {
        byte[] broken = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[{\"type\":\"gadget\"}]}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(!new JsonParser().validate(broken, Version.VERSION_16).isEmpty());
    }

    /** From layers to SBOM: a Debian layer with the status of this machine, a jar layer above it. */
    @Test
    void anImagesInventoryBecomesItsSbom() throws Exception {
        byte[] status;
        byte[] osRelease;
        try (var s = getClass().getResourceAsStream("/inventory/dpkg-status");
                var o = getClass().getResourceAsStream("/inventory/os-release-debian12")) {
            status = s.readAllBytes();
            osRelease = o.readAllBytes();
        }
        byte[] jar = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(org.apache.commons.compress.archivers.tar
                .TarArchiveInputStream.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        List<io.berth.scanner.inventory.Layer> layers = List.of(
                layer("sha256:base", "etc/os-release", osRelease, "var/lib/dpkg/status", status),
                layer("sha256:app", "app/lib/commons-compress.jar", jar));
        Inventory inventory = new io.berth.scanner.inventory.ImageInventory().inventory(layers);
        Sbom sbom = writer.write(new ImageSubject("team/app", DIGEST), inventory);
        assertEquals(List.of(), new JsonParser().validate(sbom.content(), Version.VERSION_16));
        Bom bom = new JsonParser().parse(sbom.content());
        assertEquals(1 + 8 + 1, bom.getComponents().size());
        assertTrue(bom.getComponents().stream().anyMatch(c -> "pkg:maven/org.apache.commons/commons-compress@1.28.0"
                .equals(c.getPurl())));
        assertTrue(bom.getComponents().stream().anyMatch(c -> "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12"
                .equals(c.getPurl())), "epochs are percent-encoded in purls");
    }

    private static io.berth.scanner.inventory.Layer layer(String digest, Object... pathsAndContents) throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(bytes))) {
            for (int i = 0; i < pathsAndContents.length; i += 2) {
                byte[] content = (byte[]) pathsAndContents[i + 1];
                var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry((String) pathsAndContents[i]);
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        byte[] layer = bytes.toByteArray();
        return new io.berth.scanner.inventory.Layer(digest, "application/vnd.oci.image.layer.v1.tar+gzip",
                () -> new java.io.ByteArrayInputStream(layer));
    }

    private static List<String> properties(JsonNode component) {
        List<String> out = new java.util.ArrayList<>();
        component.get("properties").forEach(p -> out.add(p.get("name").asText() + "=" + p.get("value").asText()));
        return out;
    }
}
