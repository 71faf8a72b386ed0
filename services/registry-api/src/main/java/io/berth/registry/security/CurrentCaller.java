package io.berth.registry.security;

import jakarta.enterprise.context.RequestScoped;

/**
 * The {@link Caller} of the current management request, set by {@link ManagementAuthFilter}
 * before the resource runs, so resources decide access without parsing headers again.
 */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    /**
     * The authenticated caller.
     *
     * @throws IllegalStateException if the filter did not run: a resource outside
     *     {@code /api/v1} asked, which is a programming error, not a client's
     */
    public Caller get() {
        if (caller == null) {
            throw new IllegalStateException("no authenticated management caller in this request");
        }
        return caller;
    }

    void set(Caller caller) {
        this.caller = caller;
    }
}
