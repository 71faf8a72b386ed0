package io.berth.registry.events;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code data} of {@code artifact.pulled}: the fields of {@link ArtifactEventData} (inlined,
 * so a consumer reads pulls as it reads pushes) plus how often and when the manifest was pulled
 * by that reference since the previous event. Pulls are aggregated per manifest and tag per
 * flush (docs/adr/0009-pull-tracking.md), so one event may stand for many pulls.
 *
 * @param artifact the manifest pulled; its {@code tag} is the tag it was pulled by, or null for
 *     a pull by digest
 * @param count the number of GETs this event stands for, at least 1
 * @param firstPulledAt the first of them, ISO-8601 UTC
 * @param lastPulledAt the last of them, ISO-8601 UTC
 */
@RegisterForReflection
public record ArtifactPulledData(@JsonUnwrapped ArtifactEventData artifact, long count,
        String firstPulledAt, String lastPulledAt) {}
