package io.berth.registry.api;

import static io.restassured.RestAssured.given;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.registry.support.ManifestJson;
import io.berth.registry.support.RegistryRows;
import io.berth.registry.support.TestTokens;
import io.restassured.response.Response;
import java.util.List;

/**
 * Shared steps of the browsing API tests: manifests pushed through the real {@code /v2} API
 * (blobs linked with {@link RegistryRows}), and management requests with explicit tokens (the
 * test filter has no rule for {@code /api/v1}, so every call here names its token).
 */
public final class BrowseFixtures {

    /** What a push stored: the manifest's descriptor and the bytes of the blobs it references. */
    public record Pushed(Descriptor descriptor, long blobBytes) {
        public Digest digest() {
            return descriptor.digest();
        }
    }

    private BrowseFixtures() {}

    /** Authorization of a registry administrator ({@code registry:catalog:*}). */
    static String admin() {
        return bearer("registry:catalog:*");
    }

    static String bearer(String... scopes) {
        return "Bearer " + TestTokens.token(scopes);
    }

    /** An OCI image with its own config and one layer of {@code seed}'s bytes, tagged as given. */
    public static Pushed image(String repo, String seed, String... tags) {
        Descriptor config = RegistryRows.blob(repo, MediaTypes.OCI_CONFIG, "{\"seed\":\"" + seed + "\"}");
        Descriptor layer = RegistryRows.blob(repo, MediaTypes.OCI_LAYER_TAR_GZIP, "layer-" + seed);
        byte[] manifest = ManifestJson.image(MediaTypes.OCI_MANIFEST, config, List.of(layer));
        return new Pushed(push(repo, MediaTypes.OCI_MANIFEST, manifest, tags),
                config.size() + layer.size());
    }

    /** Pushes {@code manifest} by digest, then under each tag; returns its descriptor. */
    static Descriptor push(String repo, String mediaType, byte[] manifest, String... tags) {
        Descriptor d = ManifestJson.describe(mediaType, manifest);
        List<String> references = new java.util.ArrayList<>(List.of(tags));
        references.add(0, d.digest().toString());
        for (String ref : references) {
            var answer = ManifestPushPullTest.put(repo, ref, mediaType, manifest);
            if (answer.statusCode() != 201) {
                throw new IllegalStateException("push of " + repo + ":" + ref + " answered "
                        + answer.statusCode() + ": " + answer.asString());
            }
        }
        return d;
    }

    static Response get(String path, String authorization) {
        return given().header("Authorization", authorization).when().get(path).then().extract().response();
    }

    static Response delete(String path, String authorization) {
        return given().header("Authorization", authorization).when().delete(path).then().extract().response();
    }

    /** The management path of a repository: {@code /api/v1/projects/<project>/repositories/<path>}. */
    static String repoPath(String fullName) {
        int slash = fullName.indexOf('/');
        return "/api/v1/projects/" + fullName.substring(0, slash) + "/repositories/" + fullName.substring(slash + 1);
    }
}
