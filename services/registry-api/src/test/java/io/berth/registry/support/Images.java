package io.berth.registry.support;

import static io.restassured.RestAssured.given;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Images pushed the way clients push them, through the real upload and manifest endpoints (so
 * each step meets the quota): config and layer blobs by monolithic POST, then the manifest.
 */
public final class Images {

    /** An image of one config and one layer, and the bytes of each. */
    public record Image(String repo, byte[] config, byte[] layer, byte[] manifest) {

        public Digest digest() {
            return Digest.sha256(manifest);
        }

        /** The same image, to be pushed into another repository. */
        public Image withRepo(String other) {
            return new Image(other, config, layer, manifest);
        }

        /** What the image adds to a project that holds none of it: both blobs and the manifest. */
        public long bytes() {
            return config.length + layer.length + manifest.length;
        }
    }

    private Images() {}

    /** An image in {@code repo} whose layer is {@code layerSize} bytes from {@code seed}. */
    public static Image of(String repo, long seed, int layerSize) {
        return of(repo, seed, seed, layerSize);
    }

    /** An image whose config is made from {@code configSeed}: images with one layer seed share it. */
    public static Image of(String repo, long configSeed, long layerSeed, int layerSize) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + configSeed + "}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = BlobPushes.bytes(layerSize, layerSeed);
        byte[] manifest = ManifestJson.image(MediaTypes.OCI_MANIFEST,
                Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length),
                List.of(Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, Digest.sha256(layer), layer.length)));
        return new Image(repo, config, layer, manifest);
    }

    /** Pushes the image under {@code tag}; the first answer that was not 201, or null if all were. */
    public static ExtractableResponse<Response> push(Image image, String tag) {
        for (byte[] blob : List.of(image.config(), image.layer())) {
            var answer = given().contentType("application/octet-stream").body(blob)
                    .queryParam("digest", Digest.sha256(blob).toString())
                    .when().post("/v2/" + image.repo() + "/blobs/uploads/").then().extract();
            if (answer.statusCode() != 201) {
                return answer;
            }
        }
        return putManifest(image.repo(), tag, image.manifest());
    }

    /** Pushes manifest bytes under {@code reference}; the answer if it was not 201, else null. */
    public static ExtractableResponse<Response> putManifest(String repo, String reference, byte[] manifest) {
        var answer = given().contentType(MediaTypes.OCI_MANIFEST).body(manifest)
                .when().put("/v2/" + repo + "/manifests/" + reference).then().extract();
        return answer.statusCode() == 201 ? null : answer;
    }

    /** Pushes the image under {@code tag} and fails the test, with the answer, if any step was refused. */
    public static void pushOk(Image image, String tag) {
        var refused = push(image, tag);
        if (refused != null) {
            throw new AssertionError("push of " + image.repo() + ":" + tag + " answered " + refused.statusCode()
                    + ": " + refused.asString());
        }
    }

    /** What {@code project_usage} records for the project (0 without a row). */
    public static long usage(String project) {
        Object v = RegistryRows.scalar("""
                SELECT coalesce((SELECT stored_bytes FROM project_usage u JOIN projects p ON p.id = u.project_id
                    WHERE p.name = ?), 0)""", project);
        return ((Number) v).longValue();
    }

    /** What the project holds, counted from scratch by the view {@code project_usage_actual}. */
    public static long actualUsage(String project) {
        Object v = RegistryRows.scalar("""
                SELECT a.stored_bytes FROM project_usage_actual a JOIN projects p ON p.id = a.project_id
                WHERE p.name = ?""", project);
        return ((Number) v).longValue();
    }
}
