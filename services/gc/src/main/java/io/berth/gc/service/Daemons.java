package io.berth.gc.service;

import java.util.concurrent.ThreadFactory;

/** gc's threads are daemons with names, so a thread dump says what each is for. */
public final class Daemons {

    private Daemons() {}

    /** Threads named {@code name}, which do not keep the JVM alive. */
    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
