package io.modelmonitor.pipeline.cli;

/** Bad usage or bad configuration: the CLI prints the one-line message and exits with status 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
