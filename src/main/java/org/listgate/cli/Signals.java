package org.listgate.cli;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;

/**
 * POSIX signal handlers through {@code sun.misc.Signal}, which the JDK keeps for this use in its
 * {@code jdk.unsupported} module. It is reached by reflection, not named in the source: javac warns
 * of every use of it as internal proprietary API, a warning that no {@code @SuppressWarnings}
 * silences, and main code compiles with {@code -Werror}.
 */
final class Signals {

    private Signals() {}

    /**
     * Runs {@code action} on the JVM's signal-dispatch thread each time the process gets the signal
     * {@code name} ({@code "TERM"}, {@code "INT"}, {@code "HUP"}), in place of the JVM's own
     * handling of it.
     *
     * <p>Returns false when the signal was ignored when the process started ({@code nohup} ignores
     * SIGHUP): the JVM then leaves it ignored and {@code action} never runs.
     *
     * @throws IllegalArgumentException the signal is unknown here or the JVM keeps it for itself
     */
    static boolean handle(String name, Runnable action) {
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object signal = signalType.getConstructor(String.class).newInstance(name);
            // SignalHandler.handle(Signal): the action, the signal itself dropped.
            MethodHandle run =
                    MethodHandles.publicLookup()
                            .findVirtual(Runnable.class, "run", MethodType.methodType(void.class))
                            .bindTo(action);
            Object handler =
                    MethodHandleProxies.asInterfaceInstance(
                            handlerType, MethodHandles.dropArguments(run, 0, signalType));
            Object before =
                    signalType
                            .getMethod("handle", signalType, handlerType)
                            .invoke(null, signal, handler);
            return before != handlerType.getField("SIG_IGN").get(null);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                throw refused;
            }
            throw new IllegalStateException("cannot handle SIG" + name, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no sun.misc.Signal in this JVM", e);
        }
    }
}
