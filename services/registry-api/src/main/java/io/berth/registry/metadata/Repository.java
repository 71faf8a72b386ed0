package io.berth.registry.metadata;

/** A repository row: its id, the project it belongs to, and its full name. */
public record Repository(long id, long projectId, String name) {}
