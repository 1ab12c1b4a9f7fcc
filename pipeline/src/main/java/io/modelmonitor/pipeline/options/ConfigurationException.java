package io.modelmonitor.pipeline.options;

/**
 * A configuration the monitor cannot work with: a flag value out of range, a missing file or Kafka
 * topic, a bundle that does not load. Thrown by any layer; {@code cli.Main} turns it into its
 * one-line message and exit status 2, so the layers below the CLI need not know about exit codes.
 */
public class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    /** Keeps {@code cause} for logs and debuggers; the message alone is what the user sees. */
    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
