package io.modelmonitor.models;

/**
 * Receives progress of long steps (embedding the reference, training the autoencoder), e.g. to draw
 * a progress bar in {@code ./monitor fit}. Called from the fitting thread.
 *
 * <pre>{@code
 * Progress bar = (stage, done, total) -> System.err.printf("\r%s %d/%d", stage, done, total);
 * }</pre>
 */
@FunctionalInterface
public interface Progress {

    /** Ignores every update. */
    Progress NONE = (stage, done, total) -> {};

    /**
     * {@code done} of {@code total} units of {@code stage} are finished.
     *
     * @param stage a short lower-case name such as {@code "embed"} or {@code "autoencoder"}
     */
    void update(String stage, long done, long total);
}
