package io.berth.scanner.pluggable;

import io.berth.scanner.inventory.ImageInventory;
import io.berth.scanner.inventory.Inventory;
import io.berth.scanner.inventory.InventoryException;
import io.berth.scanner.pull.PullException;
import io.berth.scanner.pull.PulledImage;
import io.berth.scanner.pull.RegistryPuller;
import io.berth.scanner.sbom.ImageSubject;
import io.berth.scanner.sbom.SbomWriter;
import io.berth.scanner.vulndb.Finding;
import io.berth.scanner.vulndb.VulnerabilityMatcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;

/**
 * One scan of the built-in scanner for a scan request: pulls the image from the registry the
 * request names ({@link RegistryPuller}: the manifest, then each layer as a stream read once),
 * lists what it installs ({@link ImageInventory}, ADR 0031), matches that against the
 * vulnerability database ({@link VulnerabilityMatcher}, ADR 0033) and writes the SBOM
 * ({@link SbomWriter}). Nothing is written to disk (but the rpmdb copy the inventory makes).
 */
@ApplicationScoped
public class BuiltinScan {

    /** A scan that failed, with the message the report endpoint answers (the spec's 500). */
    static final class Failure extends Exception {
        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final RegistryPuller puller;
    private final ImageInventory inventory = new ImageInventory();
    private final SbomWriter sbom = new SbomWriter();
    private final VulnerabilityMatcher matcher;

    @Inject
    public BuiltinScan(PluggableConfig config, VulnerabilityMatcher matcher) {
        this.puller = new RegistryPuller(config.registryConnectTimeout(), config.registryTimeout());
        this.matcher = matcher;
    }

    ScanResult scan(ScanRequest request) throws Failure {
        PulledImage image;
        try {
            image = puller.pull(request.registryUrl(), request.authorization(), request.repository(), request.digest());
        } catch (PullException e) {
            throw new Failure("pulling " + request.repository() + "@" + request.digest() + " failed: " + e.getMessage(), e);
        }
        Inventory found;
        try {
            found = inventory.inventory(image.layers());
        } catch (InventoryException e) {
            throw new Failure("reading the image's layers failed: " + e.getMessage(), e);
        }
        List<Finding> findings = matcher.match(found.packages());
        byte[] document = sbom.write(new ImageSubject(request.repository(), request.digest()), found).content();
        return new ScanResult(Instant.now(), findings, document, found.packages().size(), image.os(),
                image.architecture());
    }
}
