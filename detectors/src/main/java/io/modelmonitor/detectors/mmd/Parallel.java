package io.modelmonitor.detectors.mmd;

import java.util.stream.IntStream;

/**
 * Runs independent chunks of an index range, on the common fork-join pool when asked. Callers write
 * results into per-index slots and combine them in index order afterwards, so results do not depend
 * on the number of threads.
 */
final class Parallel {
    /** A body that handles the indices [from, to). */
    interface Chunk {
        void run(int from, int to);
    }

    private Parallel() {}

    static void forChunks(int n, int chunkSize, boolean parallel, Chunk body) {
        int chunks = (n + chunkSize - 1) / chunkSize;
        if (!parallel || chunks <= 1) {
            for (int c = 0; c < chunks; c++) {
                body.run(c * chunkSize, Math.min(n, (c + 1) * chunkSize));
            }
            return;
        }
        IntStream.range(0, chunks)
                .parallel()
                .forEach(c -> body.run(c * chunkSize, Math.min(n, (c + 1) * chunkSize)));
    }

    /** A chunk size giving about {@code perThread} chunks per available processor, at least 1. */
    static int chunkSize(int n, int perThread) {
        int target = Runtime.getRuntime().availableProcessors() * perThread;
        return Math.max(1, (n + target - 1) / target);
    }
}
