package io.berth.registry.service;

import io.berth.oci.RepositoryName;
import java.util.UUID;

/** Where an upload session stands: what the {@code Location}, {@code Range} and uuid headers say. */
public record UploadStatus(RepositoryName name, UUID id, long receivedBytes) {}
