package io.berth.scanner.flow;

import io.berth.errors.ServiceUnavailableException;
import io.berth.oci.Descriptor;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.Manifest;
import io.berth.oci.ManifestParser;
import io.berth.oci.MediaTypes;
import io.berth.oci.RegistryException;
import io.berth.scanner.config.ScannerConfig;
import io.berth.scanner.inventory.ImageInventory;
import io.berth.scanner.inventory.Inventory;
import io.berth.scanner.inventory.InventoryException;
import io.berth.scanner.inventory.Layer;
import io.berth.scanner.sbom.ImageSubject;
import io.berth.scanner.sbom.SbomWriter;
import io.berth.scanner.vulndb.VulnerabilityMatcher;
import io.berth.storage.BlobStore;
import io.berth.storage.ObjectId;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The built-in scanner in-process (ADR 0031, 0033): the manifest from {@code manifests}, its
 * layers from the {@link BlobStore} as streams, base first, through {@link ImageInventory}, the
 * packages through {@link VulnerabilityMatcher}, the SBOM from {@link SbomWriter}.
 *
 * <p>What is a layer: a descriptor with an OCI image layer or Docker rootfs media type
 * ({@link #isFilesystemLayer}). A manifest with none (a Helm chart,
 * a signature, an SBOM, any OCI artifact) is not an image: its report is a success with nothing
 * found and no SBOM, so a pull gate that refuses unscanned artifacts does not refuse it.
 * Non-distributable layers the registry does not hold are skipped with a warning. The config
 * blob is not read: the inventory needs only the layers.
 *
 * <p>Failures: a manifest that does not parse, a layer the registry has no blob row for, or a
 * layer that is not a (compressed) tar fails the scan for good; a blob missing from the store,
 * a store or database outage is worth another attempt.
 */
@ApplicationScoped
public class BuiltinScanner implements ArtifactScanner {

    private final BlobStore store;
    private final DataSource db;
    private final VulnerabilityMatcher matcher;
    private final ScannerConfig config;
    private final ImageInventory inventory = new ImageInventory();
    private final SbomWriter sboms = new SbomWriter();

    public BuiltinScanner(BlobStore store, DataSource db, VulnerabilityMatcher matcher, ScannerConfig config) {
        this.store = store;
        this.db = db;
        this.matcher = matcher;
        this.config = config;
    }

    @Override
    public String kind() {
        return ScannerRow.BUILTIN;
    }

    @Override
    public ScanResult scan(ScanTarget target) throws ScanException {
        Manifest manifest = parse(target.content(), target.mediaType());
        List<String> warnings = new ArrayList<>();
        List<Descriptor> layers = new ArrayList<>();
        for (Descriptor d : manifest.layers()) {
            if (isFilesystemLayer(d.mediaType())) {
                layers.add(d);
            }
        }
        Long vulndb = lastImport();
        if (layers.isEmpty()) {
            return ScanResult.empty(vulndb, List.of());
        }
        Map<String, BlobRow> blobs = blobs(layers);
        LayerSource source = new LayerSource(store, Instant.now().plus(config.scanTimeout()));
        List<Layer> toRead = new ArrayList<>();
        for (Descriptor d : layers) {
            String digest = d.digest().toString();
            BlobRow blob = blobs.get(digest);
            if (blob == null) {
                if (MediaTypes.isNonDistributableLayer(d.mediaType())) {
                    warnings.add("non-distributable layer " + digest + " is not in the registry, not scanned");
                    continue;
                }
                throw ScanException.permanent("layer " + digest + " is not a blob of the registry");
            }
            toRead.add(source.layer(digest, d.mediaType(), blob.objectId(), blob.size()));
        }
        Inventory found;
        try {
            found = inventory.inventory(toRead);
        } catch (InventoryException e) {
            if (source.storeFailure() != null && !source.timedOut()) {
                throw new ScanException(source.storeFailure(), true, e);
            }
            throw new ScanException(e.getMessage(), false, e);
        }
        warnings.addAll(found.warnings());
        List<Vulnerability> vulnerabilities;
        try {
            List<io.berth.scanner.vulndb.Finding> findings = matcher.match(found.packages());
            Map<String, List<String>> upstream = upstream(findings);
            vulnerabilities = findings.stream()
                    .map(f -> Vulnerability.of(f, upstream.getOrDefault(f.advisoryId(), List.of()))).toList();
        } catch (ServiceUnavailableException e) {
            throw new ScanException(e.getMessage(), true, e);
        }
        String sbom = new String(sboms.write(new ImageSubject(target.repository(), target.digest()), found).content(),
                StandardCharsets.UTF_8);
        return new ScanResult(vulnerabilities, sbom, warnings, vulndb);
    }

    /**
     * Whether a descriptor of an image manifest's {@code layers} is a filesystem layer: an OCI
     * image layer ({@code application/vnd.oci.image.layer.*}, non-distributable ones included)
     * or a Docker one ({@code application/vnd.docker.image.rootfs.*}). Artifacts' own types
     * (Helm's chart tar, cosign's signatures, in-toto attestations) are not.
     */
    static boolean isFilesystemLayer(String mediaType) {
        String t = mediaType.toLowerCase(Locale.ROOT);
        return t.startsWith("application/vnd.oci.image.layer.") || t.startsWith("application/vnd.docker.image.rootfs.");
    }

    static Manifest parse(byte[] content, String mediaType) throws ScanException {
        try {
            return ManifestParser.parse(content, mediaType, DigestAlgorithm.SHA256);
        } catch (RegistryException e) {
            throw ScanException.permanent("the manifest cannot be read: " + e.getMessage());
        }
    }

    private record BlobRow(ObjectId objectId, long size) {}

    private Map<String, BlobRow> blobs(List<Descriptor> layers) throws ScanException {
        Map<String, BlobRow> out = new HashMap<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT digest, object_id, size FROM blobs WHERE digest = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", layers.stream().map(d -> d.digest().toString()).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new BlobRow(ObjectId.parse(rs.getString(2)), rs.getLong(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new ScanException("could not read the blobs of the manifest: " + e.getMessage(), true, e);
        }
    }

    /** The {@code upstream} ids of the advisories found (the matcher's findings carry aliases only). */
    private Map<String, List<String>> upstream(List<io.berth.scanner.vulndb.Finding> findings) {
        Map<String, List<String>> out = new HashMap<>();
        if (findings.isEmpty()) {
            return out;
        }
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT id, upstream FROM vuln_advisories WHERE id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", findings.stream().map(f -> f.advisoryId()).distinct().toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    java.sql.Array a = rs.getArray(2);
                    out.put(rs.getString(1), a == null ? List.of() : List.of((String[]) a.getArray()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new ServiceUnavailableException("could not read the vulnerability database: " + e.getMessage(), e);
        }
    }

    private Long lastImport() throws ScanException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT max(id) FROM vuln_imports WHERE status = 'succeeded'");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            long id = rs.getLong(1);
            return rs.wasNull() ? null : id;
        } catch (SQLException e) {
            throw new ScanException("could not read the vulnerability database: " + e.getMessage(), true, e);
        }
    }
}
