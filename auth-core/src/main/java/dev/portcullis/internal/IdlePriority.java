package dev.portcullis.internal;

import com.sun.jna.Function;
import com.sun.jna.Platform;

/**
 * Puts the calling thread in Linux's {@code SCHED_IDLE} class, through JNA (on the class path for
 * argon2-jvm anyway): the scheduler then gives it only CPU time that no normal thread wants, so a
 * hash in progress never delays a signed-in user's request on the same core. Lowering one's own
 * scheduling class needs no privilege. Anywhere else (another OS, no libc, JNA refused) nothing
 * happens, and the thread keeps its normal priority.
 */
final class IdlePriority {

    /** {@code SCHED_IDLE} in {@code <sched.h>} (Linux). */
    private static final int SCHED_IDLE = 5;

    private IdlePriority() {
    }

    /** @return true when the calling thread now runs at {@code SCHED_IDLE} */
    static boolean applyToCurrentThread() {
        if (!Platform.isLinux()) {
            return false;
        }
        Thread thread = Thread.currentThread();
        ClassLoader caller = thread.getContextClassLoader();
        // JNA may start its own helper threads on first use; they must not inherit an application's
        // class loader (see Argon2idHasher).
        thread.setContextClassLoader(null);
        try {
            // pid 0 = the calling thread; struct sched_param { int sched_priority; } = 0 for SCHED_IDLE.
            int rc = Function.getFunction("c", "sched_setscheduler").invokeInt(new Object[] {0, SCHED_IDLE, new int[] {0}});
            return rc == 0;
        } catch (RuntimeException | LinkageError e) {
            return false; // no libc symbol, JNA not loadable: keep the normal class
        } finally {
            thread.setContextClassLoader(caller);
        }
    }
}
