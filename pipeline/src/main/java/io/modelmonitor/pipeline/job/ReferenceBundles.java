package io.modelmonitor.pipeline.job;

import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.BundleException;
import io.modelmonitor.models.bundle.ReferenceBundle;
import io.modelmonitor.models.numeric.NumericEncoder;
import io.modelmonitor.pipeline.cli.UsageException;
import io.modelmonitor.pipeline.embed.EncoderLoader;
import io.modelmonitor.pipeline.record.EventParser;
import io.modelmonitor.pipeline.window.ModelReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the {@code --bundle [MODEL=]DIR} flags into the job's {@link ModelReference}s, checking at
 * start-up what would otherwise fail in the job: a missing or broken bundle, an encoder that is
 * not the one the reference was embedded with.
 */
public final class ReferenceBundles {
    private ReferenceBundles() {}

    /**
     * @param specs the {@code --bundle} values
     * @param encoderOverride {@code --encoder}, or null for each bundle's own encoder
     * @throws UsageException with a one-line reason
     */
    public static Map<String, ModelReference> load(List<String> specs, String encoderOverride, EncoderLoader loader) {
        Map<String, ModelReference> out = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String model = eq > 0 ? spec.substring(0, eq) : EventParser.DEFAULT_MODEL;
            Path dir = Path.of(eq > 0 ? spec.substring(eq + 1) : spec);
            if (out.containsKey(model)) {
                throw new UsageException("--bundle: model '" + model + "' given twice");
            }
            out.put(model, load(model, dir, encoderOverride, loader));
        }
        return out;
    }

    /** One model's reference from its bundle directory. */
    public static ModelReference load(String model, Path dir, String encoderOverride, EncoderLoader loader) {
        if (!Files.isDirectory(dir)) {
            throw new UsageException("--bundle " + dir + ": no such directory");
        }
        ReferenceBundle bundle;
        try {
            bundle = ReferenceBundle.load(dir);
        } catch (BundleException e) {
            throw new UsageException("--bundle " + dir + ": " + e.getMessage());
        }
        String location = null;
        if (bundle.modality() == Modality.NUMERIC) {
            requireEncoder(bundle, new NumericEncoder(bundle.encoderIdentity().dimension()), dir);
        } else {
            location = encoderOverride != null ? encoderOverride : bundle.encoderLocation().orElseThrow(
                    () -> new UsageException("--bundle " + dir + ": the bundle names no encoder; give --encoder"));
            // Opened once here so that a missing or mismatched encoder stops the job at start-up.
            try (Encoder<?> encoder = loader.open(bundle.modality(), bundle.encoderIdentity(), location)) {
                encoder.dimension();
            } catch (BundleException e) {
                throw new UsageException("--bundle " + dir + ": " + e.getMessage());
            } catch (Exception e) {
                throw new UsageException("--bundle " + dir + ": cannot load encoder " + location + ": " + e.getMessage());
            }
        }
        return fromBundle(model, bundle, location);
    }

    private static void requireEncoder(ReferenceBundle bundle, Encoder<?> encoder, Path dir) {
        try {
            bundle.requireEncoder(encoder);
        } catch (BundleException e) {
            throw new UsageException("--bundle " + dir + ": " + e.getMessage());
        }
    }

    /** The serializable part of a loaded bundle. */
    public static ModelReference fromBundle(String model, ReferenceBundle b, String encoderLocation) {
        ModelReference.Builder r = ModelReference.builder(model, b.modality(), b.encoderIdentity().dimension())
                .optEncoder(encoderLocation, b.encoderIdentity())
                .optStandardizer(b.standardizer().orElse(null))
                .optPca(b.pca())
                .setReference(b.reference())
                .optSigma(b.sigma())
                .optClasses(b.classes(), b.predictionCounts())
                .optReferenceTopScores(b.referenceTopScores().orElse(null))
                .optReferenceAccuracy(b.referenceMetrics().getOrDefault("accuracy", Double.NaN),
                        Math.round(b.referenceMetrics().getOrDefault("labelled", 0.0)));
        if (b.autoencoder() != null) {
            r.optOutlierModel(b.autoencoder(), b.outlierCalibration());
        }
        if (b.referenceTopScores().isPresent() && b.classes().size() >= 2) {
            r.optConfidenceCalibrator(b.confidenceCalibrator());
        }
        b.referenceFeatures().ifPresent(r::optReferenceFeatures);
        if (b.featureMin().isPresent() && b.featureMax().isPresent()) {
            r.optFeatureRange(b.featureMin().get(), b.featureMax().get());
        }
        return r.build();
    }
}
