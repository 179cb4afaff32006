package org.listgate.isolation;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The IMS-style fields of event 9001 for a Java throwable: {@code code} (a stable 32-bit value per
 * exception kind, in the NTSTATUS space IMS reported), {@code flags} and {@code address} (the
 * throwing frame).
 *
 * <p>A null dereference or an index out of bounds is what an access violation was in IMS's C code,
 * so both map to {@code 0xc0000005}; other kinds get a code derived from the class name, in the
 * customer range {@code 0xe.......}, the same every run.
 */
public record ImsCode(String code, String flags, String address, String exception) {

    static final String ACCESS_VIOLATION = "0xc0000005";

    public static ImsCode of(Throwable thrown) {
        return new ImsCode(
                code(thrown), flags(thrown), address(thrown), thrown.getClass().getName());
    }

    private static String code(Throwable thrown) {
        if (thrown instanceof NullPointerException
                || thrown instanceof IndexOutOfBoundsException
                || thrown instanceof ArrayStoreException
                || thrown instanceof ClassCastException) {
            return ACCESS_VIOLATION;
        }
        if (thrown instanceof ArithmeticException) {
            return "0xc0000094"; // STATUS_INTEGER_DIVIDE_BY_ZERO
        }
        if (thrown instanceof StackOverflowError) {
            return "0xc00000fd"; // STATUS_STACK_OVERFLOW
        }
        if (thrown instanceof OutOfMemoryError) {
            return "0xc0000017"; // STATUS_NO_MEMORY
        }
        CRC32 crc = new CRC32();
        crc.update(thrown.getClass().getName().getBytes(StandardCharsets.UTF_8));
        return String.format("0x%08x", 0xe0000000L | (crc.getValue() & 0x0fffffffL));
    }

    /**
     * EXCEPTION_NONCONTINUABLE (1) for an {@link Error}, 0 for an exception a boundary carries on
     * after.
     */
    private static String flags(Throwable thrown) {
        return thrown instanceof Error ? "0x00000001" : "0x00000000";
    }

    private static String address(Throwable thrown) {
        StackTraceElement[] trace = thrown.getStackTrace();
        if (trace.length == 0) {
            return "unknown";
        }
        StackTraceElement top = trace[0];
        String file =
                top.getFileName() == null
                        ? "Unknown Source"
                        : top.getFileName() + ":" + top.getLineNumber();
        return top.getClassName() + "." + top.getMethodName() + "(" + file + ")";
    }
}
