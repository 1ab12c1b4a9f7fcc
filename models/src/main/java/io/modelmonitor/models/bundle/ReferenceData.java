package io.modelmonitor.models.bundle;

import io.modelmonitor.models.Modality;
import io.modelmonitor.models.tabular.TableSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Parsed reference events for {@link BundleFitter}: the inputs of exactly one modality and,
 * optionally, the model's predictions, class scores and ground-truth labels, all in the same order.
 * A {@code null} label means "not labelled".
 *
 * <pre>{@code
 * ReferenceData data = ReferenceData.builder()
 *     .setTexts(texts)
 *     .optPredictions(predictions)
 *     .optScores(scores)
 *     .optLabels(labels)
 *     .optClasses(List.of("negative", "positive"))
 *     .build();
 * }</pre>
 */
public final class ReferenceData {
    /** The task of a model whose predictions are classes. */
    public static final String CLASSIFICATION = "classification";

    /**
     * The task of a model whose predictions are numbers (regression, forecasting): predictions and
     * labels are then decimal strings, parsed as doubles.
     */
    public static final String REGRESSION = "regression";

    private final Modality modality;
    private final List<String> texts;
    private final List<byte[]> images;
    private final double[][] features;
    private final List<String> featureNames;
    private final TableSchema schema;
    private final double[][] tableVectors;
    private final List<String> predictions;
    private final double[][] scores;
    private final List<String> labels;
    private final List<String> classes;
    private final String task;

    private ReferenceData(Builder b) {
        this.task = b.task;
        this.modality = b.modality;
        this.texts = b.texts;
        this.images = b.images;
        this.features = b.features;
        this.featureNames = b.featureNames;
        this.schema = b.schema;
        this.tableVectors = b.tableVectors;
        this.predictions = b.predictions;
        this.scores = b.scores;
        this.labels = b.labels;
        this.classes = b.classes;
    }

    /** A builder: exactly one of setTexts / setImages / setFeatures is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The modality of the inputs. */
    public Modality modality() {
        return modality;
    }

    /** Number of reference events. */
    public int size() {
        return switch (modality) {
            case TEXT -> texts.size();
            case IMAGE -> images.size();
            case NUMERIC -> features.length;
        };
    }

    /** Text inputs (text modality), else null. */
    public List<String> texts() {
        return texts;
    }

    /** PNG/JPEG inputs (image modality), else null. */
    public List<byte[]> images() {
        return images;
    }

    /** Feature rows (numeric modality), else null. */
    public double[][] features() {
        return features;
    }

    /** Feature names, or null. */
    public List<String> featureNames() {
        return featureNames;
    }

    /**
     * The schema of a tabular reference (named, typed features), else null: {@link #features()}
     * then holds its coded cells and {@link #tableVectors()} the inputs of the multivariate test.
     */
    public TableSchema schema() {
        return schema;
    }

    /** Tabular references: {@link TableSchema#vector} of every row, else null. */
    public double[][] tableVectors() {
        return tableVectors;
    }

    /** Predicted classes, or null. */
    public List<String> predictions() {
        return predictions;
    }

    /** Class probabilities (n × classes, in class order), or null. */
    public double[][] scores() {
        return scores;
    }

    /** Ground-truth labels (null entries unlabelled), or null. */
    public List<String> labels() {
        return labels;
    }

    /** {@link #CLASSIFICATION} or {@link #REGRESSION}. */
    public String task() {
        return task;
    }

    /** The class order of the scores, or null. */
    public List<String> classes() {
        return classes;
    }

    /** Builder of {@link ReferenceData}. */
    public static final class Builder {
        private Modality modality;
        private List<String> texts;
        private List<byte[]> images;
        private double[][] features;
        private List<String> featureNames;
        private TableSchema schema;
        private double[][] tableVectors;
        private List<String> predictions;
        private double[][] scores;
        private List<String> labels;
        private List<String> classes;
        private String task = CLASSIFICATION;

        private Builder() {}

        /** {@link #CLASSIFICATION} (default) or {@link #REGRESSION}. */
        public Builder optTask(String task) {
            if (!CLASSIFICATION.equals(task) && !REGRESSION.equals(task)) {
                throw new IllegalArgumentException(
                        "task must be classification or regression, is " + task);
            }
            this.task = task;
            return this;
        }

        /** Text inputs. */
        public Builder setTexts(List<String> texts) {
            setModality(Modality.TEXT);
            this.texts = List.copyOf(texts);
            return this;
        }

        /** PNG or JPEG bytes. */
        public Builder setImages(List<byte[]> images) {
            setModality(Modality.IMAGE);
            this.images = List.copyOf(images);
            return this;
        }

        /** Numeric feature rows, all of the same length. */
        public Builder setFeatures(double[][] features) {
            setModality(Modality.NUMERIC);
            this.features = features.clone();
            return this;
        }

        /**
         * Named, typed features: each record's coded cells under {@code schema} ({@link
         * TableSchema#encode}); the names are the schema's columns.
         */
        public Builder setTable(TableSchema schema, double[][] cells) {
            setFeatures(cells);
            this.schema = schema;
            this.tableVectors = schema.vectors(cells);
            this.featureNames = schema.names();
            return this;
        }

        /** Names of the numeric features (default f0, f1, ...). */
        public Builder optFeatureNames(List<String> names) {
            this.featureNames = List.copyOf(names);
            return this;
        }

        /** The model's predicted class per event. */
        public Builder optPredictions(List<String> predictions) {
            this.predictions = Collections.unmodifiableList(new ArrayList<>(predictions));
            return this;
        }

        /** The model's class probabilities per event, in class order. */
        public Builder optScores(double[][] scores) {
            this.scores = scores.clone();
            return this;
        }

        /** Ground-truth labels; {@code null} entries are unlabelled events. */
        public Builder optLabels(List<String> labels) {
            this.labels = Collections.unmodifiableList(new ArrayList<>(labels));
            return this;
        }

        /** The class order of the scores (default: sorted distinct predictions and labels). */
        public Builder optClasses(List<String> classes) {
            this.classes = List.copyOf(classes);
            return this;
        }

        private void setModality(Modality m) {
            if (modality != null && modality != m) {
                throw new IllegalStateException(
                        "reference data already holds " + modality.label() + " inputs");
            }
            modality = m;
        }

        /** Checks that every optional column has one entry per input. */
        public ReferenceData build() {
            if (modality == null) {
                throw new IllegalStateException("reference data needs texts, images or features");
            }
            ReferenceData data = new ReferenceData(this);
            int n = data.size();
            requireSize("predictions", predictions == null ? -1 : predictions.size(), n);
            requireSize("scores", scores == null ? -1 : scores.length, n);
            requireSize("labels", labels == null ? -1 : labels.size(), n);
            if (features != null) {
                for (double[] row : features) {
                    Objects.requireNonNull(row, "feature row");
                    if (row.length != features[0].length) {
                        throw new IllegalArgumentException(
                                "feature rows differ in length: "
                                        + row.length
                                        + " vs "
                                        + features[0].length);
                    }
                }
                if (featureNames != null && featureNames.size() != features[0].length) {
                    throw new IllegalArgumentException(
                            featureNames.size()
                                    + " feature names for "
                                    + features[0].length
                                    + " features");
                }
            }
            if (REGRESSION.equals(task)) {
                if (scores != null) {
                    throw new IllegalArgumentException(
                            "a regression reference has no class scores");
                }
                requireNumbers("predictions", predictions);
                requireNumbers("labels", labels);
            }
            if (scores != null && classes != null) {
                for (double[] row : scores) {
                    if (row.length != classes.size()) {
                        throw new IllegalArgumentException(
                                "a score row has "
                                        + row.length
                                        + " values for "
                                        + classes.size()
                                        + " classes");
                    }
                }
            }
            return data;
        }

        private static void requireNumbers(String what, List<String> values) {
            if (values == null) {
                return;
            }
            for (String v : values) {
                if (v != null && !Double.isFinite(parse(v))) {
                    throw new IllegalArgumentException(
                            "regression " + what + " must be finite numbers, got '" + v + "'");
                }
            }
        }

        private static double parse(String v) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }

        private static void requireSize(String what, int size, int n) {
            if (size >= 0 && size != n) {
                throw new IllegalArgumentException(
                        what + " has " + size + " entries for " + n + " inputs");
            }
        }
    }
}
