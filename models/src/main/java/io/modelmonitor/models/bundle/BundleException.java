package io.modelmonitor.models.bundle;

/**
 * A reference bundle cannot be read or does not fit: a missing file, a checksum mismatch, an
 * encoder mismatch, a newer format version, a malformed manifest. The message is one line naming
 * what is wrong, fit for a command line's error output.
 */
public final class BundleException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A one-line message. */
    public BundleException(String message) {
        super(message);
    }

    /** A one-line message and its cause. */
    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
