package io.berth.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * A service's OpenAPI document and its committed copy in docs/openapi/, from which the gateway
 * builds its merged document and checks its route table (OpenApiOwnershipTest there). After an
 * API change, write the new copy with {@code -Dberth.openapi.write=true} and commit it.
 */
public final class OpenApiCopy {

    private OpenApiCopy() {
    }

    /**
     * Fails unless {@code served} (the JSON of {@code /q/openapi}), without the paths
     * {@code testOnly} names (resources of the test sources, in a test run's document only),
     * equals {@code copy}, and every operation in it has a tag (the service that owns it).
     */
    public static void assertCommitted(String served, Path copy, Predicate<String> testOnly) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        JsonNode document = json.readTree(served);
        ((ObjectNode) document.path("paths")).properties().removeIf(path -> testOnly.test(path.getKey()));
        if (Boolean.getBoolean("berth.openapi.write")) {
            Files.createDirectories(copy.getParent());
            Files.writeString(copy, json.writeValueAsString(document) + "\n");
        }
        assertEquals(document, json.readTree(copy.toFile()), copy + " is not this service's OpenAPI document;"
                + " write it anew with -Dberth.openapi.write=true and commit it");
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op ->
                assertFalse(op.getValue().path("tags").isEmpty(), path.getKey() + " " + op.getKey() + " has no tag")));
    }
}
