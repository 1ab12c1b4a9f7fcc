package io.modelmonitor.pipeline.cli;

/**
 * A command line that cannot be parsed: an unknown flag, a missing value, a value of the wrong
 * form. Problems with well-formed values (a range, a file, a broker) are {@code
 * ConfigurationException}s, which the layers below the CLI throw. Either way {@link Main} prints
 * the one-line message and exits with status 2.
 */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
