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

    /** libc's open, syncfs and close, bound directly. */
    private static final class LibC {
        static {
            Native.register("c");
        }

        static native int open(String path, int flags);

        static native int syncfs(int fd);

        static native int close(int fd);

        private LibC() {}
    }

    private final String folder;

    private Syncfs(Path folder) {
        this.folder = folder.toAbsolutePath().toString();
    }

    /**
     * syncfs on {@code folder}'s file system; empty when this is not Linux, JNA cannot load libc,
     * or the folder cannot be opened.
     */
    public static Optional<Syncfs> of(Path folder) {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return Optional.empty();
        }
        try {
            int fd = LibC.open(folder.toAbsolutePath().toString(), O_RDONLY);
            if (fd < 0) {
                return Optional.empty();
            }
            LibC.close(fd);
            return Optional.of(new Syncfs(folder));
        } catch (LinkageError e) {
            return Optional.empty(); // no JNA native library for this machine: per-file forces
        }
    }

    /**
     * Puts everything written on the folder's file system on disk. The folder is opened for each
     * call (a few microseconds), so nothing is held open between calls.
     */
    public void sync() throws IOException {
        int fd = LibC.open(folder, O_RDONLY);
        if (fd < 0) {
            throw new IOException("cannot open " + folder + ": errno " + Native.getLastError());
        }
        try {
            if (LibC.syncfs(fd) != 0) {
                throw new IOException(
                        "syncfs on the file system of "
                                + folder
                                + " failed: errno "
                                + Native.getLastError());
            }
        } finally {
            LibC.close(fd);
        }
    }
}
