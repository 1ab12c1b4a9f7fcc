package io.modelmonitor.pipeline.record;

/** A record that cannot be parsed or validated; its message is the dead-letter reason. */
public class InvalidRecordException extends Exception {
    public InvalidRecordException(String reason) {
        super(reason, null, false, false);
    }
}
