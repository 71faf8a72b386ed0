package io.berth.replicator.copy;

/** Where a copy writes what it does, one line at a time (the task's log). */
@FunctionalInterface
public interface CopyLog {

    void line(String text);

    CopyLog NONE = text -> {};
}
