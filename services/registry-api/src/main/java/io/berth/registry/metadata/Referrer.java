package io.berth.registry.metadata;

/**
 * One manifest whose {@code subject} is a given digest, as the referrers API lists it.
 *
 * @param mediaType the referrer's media type
 * @param digest the referrer's digest
 * @param size the referrer's length in bytes
 * @param artifactType the effective artifact type, or null (an index without one)
 * @param annotationsJson the manifest's annotations as a JSON object, or null when it has none
 */
public record Referrer(String mediaType, String digest, long size, String artifactType,
        String annotationsJson) {}
