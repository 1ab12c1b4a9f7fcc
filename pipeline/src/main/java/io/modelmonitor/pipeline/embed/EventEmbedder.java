package io.modelmonitor.pipeline.embed;

import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.BundleException;
import io.modelmonitor.models.bundle.ModelReference;
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
 * embedding), then each model's preparation, reduction and outlier score (of the prepared vector,
 * or of the raw images by the model's own outlier model, e.g. a convolutional autoencoder's
 * reconstruction error). Encoders are shared per JVM and released by {@link #close()}. Knows
 * nothing of Flink.
 *
 * <pre>{@code
 * try (EventEmbedder embedder = new EventEmbedder(references, new EncoderLoader(1, Device.CPU))) {
 *     List<EmbeddedEvent> out = embedder.embed(batch);
 * }
 * }</pre>
 */
public final class EventEmbedder implements AutoCloseable {
    private final Map<String, ModelReference> references;
    private final Map<String, SharedModels.Lease<Encoder<?>>> encoders = new HashMap<>();

    /** Per model scored by an image model of its own (conv-reconstruction): that model. */
    private final Map<String, SharedModels.Lease<Encoder<?>>> outlierModels = new HashMap<>();

    /** Acquires the encoder of every text model. */
    public EventEmbedder(Map<String, ModelReference> references, EncoderLoader loader) {
        this.references = Map.copyOf(references);
        try {
            for (ModelReference ref : references.values()) {
                if (ref.modality() != Modality.NUMERIC) {
                    encoders.put(
                            ref.model(),
                            loader.acquire(
                                    ref.modality(), ref.encoderIdentity(), ref.encoderLocation()));
                }
                if (ref.outlierModel() != null) {
                    outlierModels.put(
                            ref.model(),
                            loader.acquire(
                                    ref.modality(),
                                    ref.outlierModel(),
                                    ref.outlierModelLocation()));
                }
            }
        } catch (BundleException e) {
            close();
            throw new IllegalStateException(e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** One embedded event per input, in input order. */
    public List<EmbeddedEvent> embed(List<PredictionEvent> batch) {
        EmbeddedEvent[] out = new EmbeddedEvent[batch.size()];
        Map<String, List<Integer>> encodedByModel = new LinkedHashMap<>();
        for (int i = 0; i < out.length; i++) {
            PredictionEvent e = batch.get(i);
            ModelReference ref = reference(e);
            if (e.features != null) {
                out[i] = embedded(e, ref, ref.prepare(e.features));
            } else {
                encodedByModel.computeIfAbsent(e.model, m -> new ArrayList<>()).add(i);
            }
        }
        for (Map.Entry<String, List<Integer>> m : encodedByModel.entrySet()) {
            ModelReference ref = references.get(m.getKey());
            List<Object> inputs = new ArrayList<>(m.getValue().size());
            for (int i : m.getValue()) {
                PredictionEvent e = batch.get(i);
                inputs.add(e.text != null ? e.text : e.image);
            }
            // The validator let through only inputs of the model's modality: texts or image bytes.
            @SuppressWarnings("unchecked")
            Encoder<Object> encoder = (Encoder<Object>) encoders.get(m.getKey()).get();
            float[][] vectors = encoder.embed(inputs);
            SharedModels.Lease<Encoder<?>> outlierModel = outlierModels.get(m.getKey());
            @SuppressWarnings("unchecked")
            float[][] scores =
                    outlierModel == null
                            ? null
                            : ((Encoder<Object>) outlierModel.get()).embed(inputs);
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

    private ModelReference reference(PredictionEvent e) {
        ModelReference ref = references.get(e.model);
        if (ref == null) {
            throw new IllegalStateException(
                    "no reference for model '" + e.model + "': events must be validated first");
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
    }
}
