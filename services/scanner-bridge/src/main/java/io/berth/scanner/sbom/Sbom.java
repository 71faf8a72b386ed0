package io.berth.scanner.sbom;

/**
 * An SBOM document, ready to be stored as an OCI artifact's layer.
 *
 * @param content the document's bytes (UTF-8 JSON)
 * @param mediaType its media type, also the artifact's {@code artifactType}
 */
public record Sbom(byte[] content, String mediaType) {
}
