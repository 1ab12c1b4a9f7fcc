package io.modelmonitor.pipeline.job;

import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.models.tabular.TableSchema;
import io.modelmonitor.pipeline.record.InvalidRecordException;
import io.modelmonitor.pipeline.record.PredictionEvent;
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

    private final Map<String, ModelReference> references;

    public ReferenceValidator(Map<String, ModelReference> references) {
        this.references = Map.copyOf(references);
    }

    public void validate(PredictionEvent e) throws InvalidRecordException {
        ModelReference ref = references.get(e.model);
        if (ref == null) {
            throw new InvalidRecordException(
                    "unknown model '"
                            + e.model
                            + "' (monitored: "
                            + String.join(", ", new TreeSet<>(references.keySet()))
                            + ")");
        }
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
        return references.size() == 1 ? references.keySet().iterator().next() : null;
    }

    public boolean monitors(String model) {
        return references.containsKey(model);
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
