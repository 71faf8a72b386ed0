package io.berth.gc.retention;

/**
 * What retention does with one artifact, and why, in words for the execution's log.
 *
 * @param artifact the artifact
 * @param retained true to keep it, false to delete it
 * @param reason e.g. {@code rule 1: the 3 most recently pushed},
 *     {@code tag v1.0 is immutable (repositories "**", tags "v*")}, {@code no rule retains it}
 */
public record Decision(Artifact artifact, boolean retained, String reason) {
}
