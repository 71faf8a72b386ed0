package io.berth.bench;

/** A registry answered other than a conforming registry would, or the benchmark cannot go on. */
final class BenchException extends RuntimeException {

    BenchException(String message) {
        super(message, null, false, false);
    }
}
