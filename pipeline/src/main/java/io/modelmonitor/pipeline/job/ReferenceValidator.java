package io.modelmonitor.pipeline.job;

import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.models.tabular.TableSchema;
import io.modelmonitor.pipeline.record.InvalidRecordException;
import io.modelmonitor.pipeline.record.PredictionEvent;
import io.modelmonitor.pipeline.references.BundleResolver;
import io.modelmonitor.pipeline.references.UnknownModelCounter;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The checks of a well-formed event against its model's reference: a known model, the input kind
 * the reference was fitted on, its feature count, one score per class. What fails here would
 * otherwise fail inside the encoder or a test, so it becomes a dead letter with its reason.
 */
public final class ReferenceValidator implements Serializable {
    private static final long serialVersionUID = 1L;

    private final BundleResolver references;

    /**
     * Whether the checks wait for the embedding stage, which knows the bundle in force at the
     * event's time ({@code --references}): a model's bundle, or the model itself, may change.
     */
    private final boolean deferred;

    public ReferenceValidator(Map<String, ModelReference> references) {
        this(BundleResolver.of(references), false);
    }

    /**
     * @param references the start-up bundles
     * @param deferred whether the checks wait for the embedding stage ({@code --references})
     */
    public ReferenceValidator(BundleResolver references, boolean deferred) {
        this.references = references;
        this.deferred = deferred;
    }

    public void validate(PredictionEvent e) throws InvalidRecordException {
        if (deferred) {
            return;
        }
        ModelReference ref = references.startup().get(e.model);
        if (ref == null) {
            throw new InvalidRecordException(
                    unknownModel(e.model)
                            + " (monitored: "
                            + String.join(", ", new TreeSet<>(references.models()))
                            + ")");
        }
        check(e, ref);
    }

    /** How a dead letter of an event of an unmonitored model starts. */
    public static String unknownModel(String model) {
        return UnknownModelCounter.reason(model);
    }

    /** The checks of an event against the bundle that will embed and test it. */
    public static void check(PredictionEvent e, ModelReference ref) throws InvalidRecordException {
        Modality input = modality(e);
        if (input != ref.modality()) {
            throw new InvalidRecordException(
                    "model '"
                            + e.model
                            + "' takes "
                            + ref.modality().label()
                            + " input, got "
                            + input.label());
        }
        TableSchema schema = ref.schema();
        if (schema != null && e.features != null) {
            throw new InvalidRecordException(
                    "model '"
                            + e.model
                            + "' takes named features (an object with columns "
                            + columnList(schema)
                            + "), got an array");
        }
        if (schema == null && e.namedFeatures != null) {
            throw new InvalidRecordException(
                    "model '"
                            + e.model
                            + "' takes an array of "
                            + ref.inputDimension()
                            + " features, got named features (an object)");
        }
        if (e.namedFeatures != null && schema.knownColumns(e.namedFeatures) == 0) {
            throw new InvalidRecordException(
                    "none of the named features is a column of model '"
                            + e.model
                            + "' ("
                            + columnList(schema)
                            + ")");
        }
        if (e.features != null && e.features.length != ref.inputDimension()) {
            throw new InvalidRecordException(
                    "model '"
                            + e.model
                            + "' takes "
                            + ref.inputDimension()
                            + " features, got "
                            + e.features.length);
        }
        int classes = ref.classes().size();
        if (e.scores != null && classes > 0 && e.scores.length != classes) {
            throw new InvalidRecordException(
                    "model '"
                            + e.model
                            + "' has "
                            + classes
                            + " classes, got "
                            + e.scores.length
                            + " scores");
        }
    }

    private static String columnList(TableSchema schema) {
        List<String> names = schema.names();
        String shown = String.join(", ", names.subList(0, Math.min(10, names.size())));
        return names.size() > 10 ? shown + ", ... (" + names.size() + " in all)" : shown;
    }

    /**
     * The model a dead letter belongs to when its record names none or cannot be read: the only
     * model, if one.
     */
    public String soleModel() {
        return references.models().size() == 1 ? references.models().iterator().next() : null;
    }

    /** Whether an event of {@code model} passes the model check here. */
    public boolean admits(String model) {
        return deferred || references.models().contains(model);
    }

    public boolean monitors(String model) {
        return references.models().contains(model);
    }

    static Modality modality(PredictionEvent e) {
        switch (e.modality()) {
            case TEXT:
                return Modality.TEXT;
            case IMAGE:
                return Modality.IMAGE;
            default:
                return Modality.NUMERIC;
        }
    }
}
