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
 * embedding; named features are coded by the model's schema, their cells kept as the event's
 * features and their vector as its embedding), then each model's preparation, reduction and outlier
 * score. Encoders are shared per JVM and released by {@link #close()}. Knows nothing of Flink.
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

    private final Map<String, SharedModels.Lease<Encoder<?>>> encoders = new HashMap<>();

    /** Acquires the encoder of every text or image model. */
    public EventEmbedder(Map<String, ModelReference> references, EncoderLoader loader) {
        try {
            for (Map.Entry<String, ModelReference> m : references.entrySet()) {
                ModelReference ref = m.getValue();
                register(
                        m.getKey(),
                        ref,
                        ref.modality() == Modality.NUMERIC
                                ? null
                                : loader.acquire(
                                        ref.modality(),
                                        ref.encoderIdentity(),
                                        ref.encoderLocation()));
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
     * Adds a bundle under {@code key} with its encoder lease (null for numeric inputs), which
     * {@link #close()} releases.
     */
    public void register(String key, ModelReference ref, SharedModels.Lease<Encoder<?>> encoder) {
        if (references.containsKey(key)) {
            if (encoder != null) {
                encoder.close();
            }
            return;
        }
        references.put(key, ref);
        if (encoder != null) {
            encoders.put(key, encoder);
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
            List<Object> inputs = new ArrayList<>(m.getValue().size());
            for (int i : m.getValue()) {
                PredictionEvent e = batch.get(i);
                inputs.add(e.text != null ? e.text : e.image);
            }
            // The validator let through only inputs of the model's modality: texts or image bytes.
            @SuppressWarnings("unchecked")
            Encoder<Object> encoder = (Encoder<Object>) encoders.get(m.getKey()).get();
            float[][] vectors = encoder.embed(inputs);
            for (int k = 0; k < vectors.length; k++) {
                int i = m.getValue().get(k);
                out[i] = embedded(batch.get(i), ref, ref.prepare(vectors[k]));
            }
        }
        return List.of(out);
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
        references.clear();
    }
}
