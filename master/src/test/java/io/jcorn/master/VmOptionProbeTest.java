package io.jcorn.master;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The master asks its own JVM whether a default worker flag exists before it passes it on. */
class VmOptionProbeTest {

    @Test
    void knowsTheFlagsOfThisJvmAndNoOthers() {
        assertTrue(JcornCommand.knowsVmOption("MaxHeapSize"));
        assertFalse(JcornCommand.knowsVmOption("NoSuchFlagInAnyJvm"));
    }
}
