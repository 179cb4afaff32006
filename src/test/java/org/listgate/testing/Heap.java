package org.listgate.testing;

/** The heap in use after a collection: for checking that hostile input leaves nothing behind. */
public final class Heap {

    private Heap() {}

    public static long usedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
