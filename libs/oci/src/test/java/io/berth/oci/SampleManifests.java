package io.berth.oci;

import java.nio.charset.StandardCharsets;

/** Manifests as real clients push them, for the parser tests. Digests are of small strings. */
final class SampleManifests {

    static final Digest CONFIG = digestOf("config");
    static final Digest LAYER1 = digestOf("layer1");
    static final Digest LAYER2 = digestOf("layer2");
    static final Digest AMD64 = digestOf("amd64 manifest");
    static final Digest ARM64 = digestOf("arm64 manifest");
    static final Digest SUBJECT = digestOf("subject manifest");

    /** OCI image manifest: config, two layers, annotations. */
    static final String OCI_IMAGE = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": "%s",
                "size": 1470
              },
              "layers": [
                {
                  "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                  "digest": "%s",
                  "size": 3370706
                },
                {
                  "mediaType": "application/vnd.oci.image.layer.v1.tar+zstd",
                  "digest": "%s",
                  "size": 152,
                  "annotations": {"org.opencontainers.image.title": "app.tar"}
                }
              ],
              "annotations": {
                "org.opencontainers.image.created": "2024-05-01T10:00:00Z",
                "org.opencontainers.image.source": "https://git.example.com/app"
              }
            }
            """.formatted(CONFIG, LAYER1, LAYER2);

    /** OCI artifact (a signature, say): artifactType, the empty config, a subject. */
    static final String OCI_ARTIFACT = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "artifactType": "application/vnd.dev.cosign.artifact.sig.v1+json",
              "config": {
                "mediaType": "application/vnd.oci.empty.v1+json",
                "digest": "%s",
                "size": 2
              },
              "layers": [
                {
                  "mediaType": "application/vnd.dev.cosign.simplesigning.v1+json",
                  "digest": "%s",
                  "size": 245
                }
              ],
              "subject": {
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": "%s",
                "size": 1024
              }
            }
            """.formatted(MediaTypes.EMPTY_DESCRIPTOR_DIGEST, LAYER1, SUBJECT);

    /** OCI index of two platform images. */
    static final String OCI_INDEX = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.oci.image.index.v1+json",
              "manifests": [
                {
                  "mediaType": "application/vnd.oci.image.manifest.v1+json",
                  "digest": "%s",
                  "size": 1234,
                  "platform": {"architecture": "amd64", "os": "linux"}
                },
                {
                  "mediaType": "application/vnd.oci.image.manifest.v1+json",
                  "digest": "%s",
                  "size": 1235,
                  "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}
                }
              ],
              "annotations": {"org.opencontainers.image.ref.name": "1.0"}
            }
            """.formatted(AMD64, ARM64);

    /** Docker image manifest, schema 2, as docker push sends it. */
    static final String DOCKER_IMAGE = """
            {
               "schemaVersion": 2,
               "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
               "config": {
                  "mediaType": "application/vnd.docker.container.image.v1+json",
                  "size": 7023,
                  "digest": "%s"
               },
               "layers": [
                  {
                     "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                     "size": 32654,
                     "digest": "%s"
                  }
               ]
            }
            """.formatted(CONFIG, LAYER1);

    /** Docker manifest list of two platform images. */
    static final String DOCKER_LIST = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
              "manifests": [
                {
                  "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                  "size": 7143,
                  "digest": "%s",
                  "platform": {"architecture": "ppc64le", "os": "linux"}
                },
                {
                  "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                  "size": 7682,
                  "digest": "%s",
                  "platform": {"architecture": "arm", "os": "linux", "variant": "v7",
                               "features": ["sse4"]}
                }
              ]
            }
            """.formatted(AMD64, ARM64);

    private SampleManifests() {
    }

    static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code OCI_IMAGE} with its first occurrence of {@code from} replaced by {@code to}. */
    static String ociImageWith(String from, String to) {
        if (!OCI_IMAGE.contains(from)) {
            throw new IllegalArgumentException("sample has no " + from);
        }
        return OCI_IMAGE.replaceFirst(java.util.regex.Pattern.quote(from),
                java.util.regex.Matcher.quoteReplacement(to));
    }

    private static Digest digestOf(String s) {
        return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
    }
}
