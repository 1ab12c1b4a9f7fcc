package io.modelmonitor.pipeline.embed;

import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.BundleException;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.models.image.DecodedImage;
import io.modelmonitor.models.image.DecodedImageModel;
import io.modelmonitor.models.runtime.SharedModels;
import io.modelmonitor.pipeline.record.EmbeddedEvent;
import io.modelmonitor.pipeline.record.PredictionEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Embeds a batch of validated events: the encoder (text or images; numeric features are their own
 * embedding; named features are coded by the model's schema, their cells kept as the event's
 * features and their vector as its embedding), then each model's preparation, reduction and outlier
 * score (of the prepared vector, or of the raw images by the model's own outlier model, e.g. a
 * convolutional autoencoder's reconstruction error). Encoders are shared per JVM and released by
 * {@link #close()}. Knows nothing of Flink.
 *
 * <pre>{@code
 * try (EventEmbedder embedder = new EventEmbedder(references, new EncoderLoader(1, Device.CPU))) {
 *     List<EmbeddedEvent> out = embedder.embed(batch);
 * }
 * }</pre>
 */
public final class EventEmbedder implements AutoCloseable {
    /** The references by bundle key: a model's start-up bundle is keyed by the model's name. */
    private final Map<String, ModelReference> references = new HashMap<>();

    /**
     * Images held preprocessed at once: as many as an ONNX image encoder runs per model call by
     * default ({@code OnnxImageEncoder.Builder.optBatchSize}), so its calls are those of its own
     * {@code embed}.
     */
    static final int IMAGE_CHUNK = 16;

    private final Map<String, SharedModels.Lease<Encoder<?>>> encoders = new HashMap<>();

    /** Per bundle key scored by an image model of its own (conv-reconstruction): that model. */
    private final Map<String, SharedModels.Lease<Encoder<?>>> outlierModels = new HashMap<>();

    /** Acquires the encoder (text, images) and own outlier model (if any) of every bundle. */
    public EventEmbedder(Map<String, ModelReference> references, EncoderLoader loader) {
        try {
            for (Map.Entry<String, ModelReference> m : references.entrySet()) {
                register(m.getKey(), m.getValue(), Leases.acquire(m.getValue(), loader));
            }
        } catch (BundleException e) {
            close();
            throw new IllegalStateException(e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * What a bundle needs opened besides itself: its encoder (text, images) and its own outlier
     * model (conv-reconstruction), each null where it has none.
     */
    public record Leases(
            SharedModels.Lease<Encoder<?>> encoder, SharedModels.Lease<Encoder<?>> outlierModel)
            implements AutoCloseable {
        /** Opens (or shares, per JVM) the models {@code ref} needs. */
        public static Leases acquire(ModelReference ref, EncoderLoader loader)
                throws BundleException {
            SharedModels.Lease<Encoder<?>> encoder =
                    ref.modality() == Modality.NUMERIC
                            ? null
                            : loader.acquire(
                                    ref.modality(), ref.encoderIdentity(), ref.encoderLocation());
            try {
                return new Leases(
                        encoder,
                        ref.outlierModel() == null
                                ? null
                                : loader.acquire(
                                        ref.modality(),
                                        ref.outlierModel(),
                                        ref.outlierModelLocation()));
            } catch (BundleException | RuntimeException e) {
                if (encoder != null) {
                    encoder.close();
                }
                throw e;
            }
        }

        @Override
        public void close() {
            if (encoder != null) {
                encoder.close();
            }
            if (outlierModel != null) {
                outlierModel.close();
            }
        }
    }

    /** Adds a bundle under {@code key} with its leases, which {@link #close()} releases. */
    public void register(String key, ModelReference ref, Leases leases) {
        if (references.containsKey(key)) {
            leases.close();
            return;
        }
        references.put(key, ref);
        if (leases.encoder() != null) {
            encoders.put(key, leases.encoder());
        }
        if (leases.outlierModel() != null) {
            outlierModels.put(key, leases.outlierModel());
        }
    }

    public boolean knows(String key) {
        return references.containsKey(key);
    }

    /** One embedded event per input, in input order, each with its model's start-up bundle. */
    public List<EmbeddedEvent> embed(List<PredictionEvent> batch) {
        List<String> keys = new ArrayList<>(batch.size());
        for (PredictionEvent e : batch) {
            keys.add(e.model);
        }
        return embed(batch, keys);
    }

    /**
     * One embedded event per input, in input order, the i-th with the bundle registered under
     * {@code bundleKeys[i]}.
     */
    public List<EmbeddedEvent> embed(List<PredictionEvent> batch, List<String> bundleKeys) {
        EmbeddedEvent[] out = new EmbeddedEvent[batch.size()];
        Map<String, List<Integer>> encodedByBundle = new LinkedHashMap<>();
        for (int i = 0; i < out.length; i++) {
            PredictionEvent e = batch.get(i);
            ModelReference ref = reference(e, bundleKeys.get(i));
            if (e.namedFeatures != null) {
                double[] cells = ref.schema().encode(e.namedFeatures);
                out[i] = embedded(e, ref, ref.prepare(ref.tableVector(cells)));
                out[i].features = cells;
            } else if (e.features != null) {
                out[i] = embedded(e, ref, ref.prepare(e.features));
            } else {
                encodedByBundle.computeIfAbsent(bundleKeys.get(i), m -> new ArrayList<>()).add(i);
            }
        }
        for (Map.Entry<String, List<Integer>> m : encodedByBundle.entrySet()) {
            ModelReference ref = references.get(m.getKey());
            Encoder<?> encoder = encoders.get(m.getKey()).get();
            SharedModels.Lease<Encoder<?>> lease = outlierModels.get(m.getKey());
            Encoder<?> outlierModel = lease == null ? null : lease.get();
            float[][] vectors;
            float[][] scores;
            if (encoder instanceof DecodedImageModel images
                    && (outlierModel == null || outlierModel instanceof DecodedImageModel)) {
                vectors = new float[m.getValue().size()][];
                scores = outlierModel == null ? null : new float[vectors.length][];
                embedImages(
                        batch,
                        m.getValue(),
                        images,
                        (DecodedImageModel) outlierModel,
                        vectors,
                        scores);
            } else {
                List<Object> inputs = new ArrayList<>(m.getValue().size());
                for (int i : m.getValue()) {
                    PredictionEvent e = batch.get(i);
                    inputs.add(e.text != null ? e.text : e.image);
                }
                // The validator let through only inputs of the model's modality: texts or image
                // bytes.
                @SuppressWarnings("unchecked")
                float[][] embedded = ((Encoder<Object>) encoder).embed(inputs);
                vectors = embedded;
                @SuppressWarnings("unchecked")
                float[][] outliers =
                        outlierModel == null
                                ? null
                                : ((Encoder<Object>) outlierModel).embed(inputs);
                scores = outliers;
            }
            for (int k = 0; k < vectors.length; k++) {
                int i = m.getValue().get(k);
                double[] prepared = ref.prepare(vectors[k]);
                out[i] =
                        EmbeddedEvent.of(
                                batch.get(i),
                                ref.reduce(prepared),
                                scores == null ? ref.outlierScore(prepared) : scores[k][0]);
            }
        }
        return List.of(out);
    }

    /**
     * Embeds the images of {@code rows} into {@code vectors} and, with an outlier model, scores
     * them into {@code scores}, decoding each image and reading its pixels once for both models:
     * decoding and resizing were about half of an image's time in the job when each model decoded
     * the bytes itself. Images are decoded one at a time and prepared {@link #IMAGE_CHUNK} at a
     * time, so that a batch of large images is never held decoded or preprocessed all at once.
     */
    private static void embedImages(
            List<PredictionEvent> batch,
            List<Integer> rows,
            DecodedImageModel encoder,
            DecodedImageModel outlierModel,
            float[][] vectors,
            float[][] scores) {
        for (int start = 0; start < rows.size(); start += IMAGE_CHUNK) {
            int n = Math.min(IMAGE_CHUNK, rows.size() - start);
            float[][] tensors = new float[n][];
            float[][] outlierInputs = new float[n][];
            for (int k = 0; k < n; k++) {
                // The validator let through only images that decode.
                DecodedImage image = DecodedImage.decode(batch.get(rows.get(start + k)).image);
                tensors[k] = encoder.prepare(image);
                if (outlierModel != null) {
                    outlierInputs[k] = outlierModel.prepare(image);
                }
            }
            System.arraycopy(encoder.embedPrepared(tensors), 0, vectors, start, n);
            if (outlierModel != null) {
                System.arraycopy(outlierModel.embedPrepared(outlierInputs), 0, scores, start, n);
            }
        }
    }

    private ModelReference reference(PredictionEvent e, String key) {
        ModelReference ref = references.get(key);
        if (ref == null) {
            throw new IllegalStateException(
                    "no bundle "
                            + key
                            + " for model '"
                            + e.model
                            + "': events must be validated first");
        }
        return ref;
    }

    private static EmbeddedEvent embedded(
            PredictionEvent e, ModelReference ref, double[] prepared) {
        return EmbeddedEvent.of(e, ref.reduce(prepared), ref.outlierScore(prepared));
    }

    @Override
    public void close() {
        for (SharedModels.Lease<Encoder<?>> lease : encoders.values()) {
            lease.close();
        }
        encoders.clear();
        for (SharedModels.Lease<Encoder<?>> lease : outlierModels.values()) {
            lease.close();
        }
        outlierModels.clear();
        references.clear();
    }
}
