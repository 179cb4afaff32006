package org.listgate.spool;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * syncfs(2) on the file system that holds a folder: every file and folder written there is on disk
 * when it returns — data and names alike, as if each had been forced, in one call. Linux only,
 * through JNA; {@link #of} says when it cannot be had here.
 *
 * <p>DIAGNOSTICS: a failed call is an {@code IOException} with the errno; since Linux 5.8 syncfs
 * also reports a write-back error of any file written there since the last call, so a failure means
 * "not all of it is known to be on disk", and each caller treats its write as not durable.
 */
public final class Syncfs {

    private static final int O_RDONLY = 0;

    /** libc's open and syncfs, bound directly. */
    private static final class LibC {
        static {
            Native.register("c");
        }

        static native int open(String path, int flags);

        static native int syncfs(int fd);

        private LibC() {}
    }

    private final String folder;
    private final int fd;

    private Syncfs(String folder, int fd) {
        this.folder = folder;
        this.fd = fd;
    }

    /**
     * Binds libc now rather than in the first delivery round: JNA's first use unpacks its native
     * library from the jar and asks {@code ldconfig} for the library paths (a process of its own),
     * a few hundred milliseconds the first list's copies would otherwise wait. Whether it worked;
     * harmless, and quick, after the first call.
     */
    public static boolean load() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return false;
        }
        try {
            java.lang.invoke.MethodHandles.lookup().ensureInitialized(LibC.class);
            return true;
        } catch (LinkageError | IllegalAccessException e) {
            return false; // no JNA native library for this machine: per-file forces
        }
    }

    /**
     * syncfs on {@code folder}'s file system; empty when this is not Linux, JNA cannot load libc,
     * or the folder cannot be opened. The folder stays open for the life of the process (it is one
     * descriptor a file system, see {@link SharedSync#of}): the calls then work even after the
     * folder is removed, as syncfs only needs its file system.
     */
    static Optional<Syncfs> of(Path folder) {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return Optional.empty();
        }
        try {
            String name = folder.toAbsolutePath().toString();
            int fd = LibC.open(name, O_RDONLY);
            return fd < 0 ? Optional.empty() : Optional.of(new Syncfs(name, fd));
        } catch (LinkageError e) {
            return Optional.empty(); // no JNA native library for this machine: per-file forces
        }
    }

    /** Puts everything written on the folder's file system on disk. */
    public void sync() throws IOException {
        if (LibC.syncfs(fd) != 0) {
            throw new IOException(
                    "syncfs on the file system of "
                            + folder
                            + " failed: errno "
                            + Native.getLastError());
        }
    }
}
