package io.modelmonitor.pipeline.job;

import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.BundleException;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.models.bundle.ReferenceBundle;
import io.modelmonitor.models.numeric.NumericEncoder;
import io.modelmonitor.pipeline.embed.EncoderLoader;
import io.modelmonitor.pipeline.options.ConfigurationException;
import io.modelmonitor.pipeline.record.EventParser;
import io.modelmonitor.pipeline.references.BundleLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the {@code --bundle [MODEL=]DIR} flags into the job's {@link ModelReference}s, checking at
 * start-up what would otherwise fail in the job: a missing or broken bundle, an encoder that is not
 * the one the reference was embedded with.
 */
public final class ReferenceBundles {
    private ReferenceBundles() {}

    /**
     * @param specs the {@code --bundle} values
     * @param encoderOverride {@code --encoder}, or null for each bundle's own encoder
     * @throws ConfigurationException with a one-line reason
     */
    public static Map<String, ModelReference> load(
            List<String> specs, String encoderOverride, EncoderLoader loader) {
        Map<String, ModelReference> out = new LinkedHashMap<>();
        // Models that share a directory share its content: read and checked once.
        Map<Path, ModelReference> byDir = new HashMap<>();
        for (String value : specs) {
            BundleSpec spec = BundleSpec.parse(value);
            if (out.containsKey(spec.model())) {
                throw new ConfigurationException(
                        "--bundle: model '" + spec.model() + "' given twice");
            }
            Path dir = spec.dir().toAbsolutePath().normalize();
            ModelReference read = byDir.get(dir);
            ModelReference ref =
                    read != null
                            ? read.forModel(spec.model())
                            : load(spec.model(), spec.dir(), encoderOverride, loader);
            byDir.putIfAbsent(dir, ref);
            out.put(spec.model(), ref);
        }
        return out;
    }

    /** {@link #load(String, Path, String, EncoderLoader)} for the operators. */
    public static BundleLoader loader(String encoderOverride, EncoderLoader loader) {
        return (model, dir) -> load(model, dir, encoderOverride, loader);
    }

    /** The directories of the {@code --bundle} values by model. */
    public static Map<String, Path> dirs(List<String> specs) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String value : specs) {
            BundleSpec spec = BundleSpec.parse(value);
            out.put(spec.model(), spec.dir());
        }
        return out;
    }

    /** One {@code --bundle [MODEL=]DIR} value: the model it serves and its directory. */
    public record BundleSpec(String model, Path dir) {
        /**
         * Splits at the first {@code =}, so a directory may contain {@code =} when the model is
         * named; without {@code =} the bundle serves {@link EventParser#DEFAULT_MODEL}. An empty
         * model ({@code =DIR}) or directory ({@code MODEL=}) is refused rather than guessed at: a
         * model can only be left out together with its {@code =}.
         *
         * @throws ConfigurationException with a one-line reason
         */
        public static BundleSpec parse(String value) {
            int eq = value.indexOf('=');
            String model = eq < 0 ? EventParser.DEFAULT_MODEL : value.substring(0, eq);
            String dir = value.substring(eq + 1);
            if (model.isEmpty()) {
                throw new ConfigurationException(
                        "--bundle "
                                + value
                                + ": no model name before '='; give MODEL=DIR, or DIR alone for model '"
                                + EventParser.DEFAULT_MODEL
                                + "'");
            }
            if (dir.isEmpty()) {
                throw new ConfigurationException("--bundle " + value + ": no directory after '='");
            }
            return new BundleSpec(model, Path.of(dir));
        }
    }

    /** One model's reference from its bundle directory. */
    public static ModelReference load(
            String model, Path dir, String encoderOverride, EncoderLoader loader) {
        return reference(model, read(dir), dir, encoderOverride, loader);
    }

    /** The bundle in {@code dir}, checked (manifest, checksums, shapes). */
    public static ReferenceBundle read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigurationException("--bundle " + dir + ": no such directory");
        }
        try {
            return ReferenceBundle.load(dir);
        } catch (BundleException e) {
            throw new ConfigurationException("--bundle " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The job's reference for a loaded bundle, once its encoder has been opened and checked against
     * it.
     */
    public static ModelReference reference(
            String model,
            ReferenceBundle bundle,
            Path dir,
            String encoderOverride,
            EncoderLoader loader) {
        String location = null;
        if (bundle.modality() == Modality.NUMERIC) {
            requireEncoder(bundle, new NumericEncoder(bundle.encoderIdentity().dimension()), dir);
        } else {
            location =
                    encoderOverride != null
                            ? encoderOverride
                            : bundle.encoderLocation()
                                    .orElseThrow(
                                            () ->
                                                    new ConfigurationException(
                                                            "--bundle "
                                                                    + dir
                                                                    + ": the bundle names no encoder; give --encoder"));
            // Opened once here so that a missing or mismatched encoder stops the job at start-up.
            try (Encoder<?> encoder =
                    loader.open(bundle.modality(), bundle.encoderIdentity(), location)) {
                encoder.dimension();
            } catch (BundleException e) {
                throw new ConfigurationException("--bundle " + dir + ": " + e.getMessage(), e);
            } catch (Exception e) {
                throw new ConfigurationException(
                        "--bundle "
                                + dir
                                + ": cannot load encoder "
                                + location
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
        ModelReference ref = bundle.toModelReference(model, location);
        if (ref.outlierModel() != null) {
            // conv-reconstruction: the bundle's second model, checked at start-up like the encoder.
            try (Encoder<?> outlierModel =
                    loader.open(
                            bundle.modality(), ref.outlierModel(), ref.outlierModelLocation())) {
                outlierModel.dimension();
            } catch (BundleException e) {
                throw new ConfigurationException(
                        "--bundle " + dir + ": outlier model: " + e.getMessage(), e);
            }
        }
        return ref;
    }

    private static void requireEncoder(ReferenceBundle bundle, Encoder<?> encoder, Path dir) {
        try {
            bundle.requireEncoder(encoder);
        } catch (BundleException e) {
            throw new ConfigurationException("--bundle " + dir + ": " + e.getMessage(), e);
        }
    }
}
