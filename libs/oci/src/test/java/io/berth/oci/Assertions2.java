package io.berth.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.function.Executable;

/** Keeps registry-error assertions to one line, like distribution's checkBodyHasErrorCodes. */
final class Assertions2 {

    private Assertions2() {
    }

    /** Asserts {@code call} throws a RegistryException with {@code code} and a detail. */
    static RegistryException assertRegistryError(RegistryErrorCode code, Executable call) {
        RegistryException e = assertThrows(RegistryException.class, call);
        assertEquals(code, e.code(), () -> "detail: " + e.detail());
        assertNotNull(e.detail(), "a validation failure says what is wrong");
        return e;
    }
}
