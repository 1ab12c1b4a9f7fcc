package io.modelmonitor.pipeline.references;

import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.record.InvalidRecordException;
import io.modelmonitor.pipeline.record.PredictionEvent;
import java.io.Serializable;

/** The checks of an event against the bundle that will embed and test it (the job's validator). */
@FunctionalInterface
public interface EventCheck extends Serializable {
    void check(PredictionEvent e, ModelReference ref) throws InvalidRecordException;
}
