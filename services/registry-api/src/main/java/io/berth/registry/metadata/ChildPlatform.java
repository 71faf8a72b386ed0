package io.berth.registry.metadata;

/**
 * One entry of an index as the management API lists it (JSON field names are these component
 * names): the child's digest and the platform the index gives it.
 *
 * @param digest the child manifest's digest
 * @param os the platform's {@code os}, e.g. {@code linux}; null if the entry has no platform
 *     (an attestation or artifact listed in the index)
 * @param architecture the platform's {@code architecture}, e.g. {@code arm64}; null if the entry
 *     has no platform
 * @param variant the platform's {@code variant}, e.g. {@code v8}; null when absent
 */
public record ChildPlatform(String digest, String os, String architecture, String variant) {}
