package io.modelmonitor.models.bundle;

import io.modelmonitor.models.Device;
import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.EncoderIdentity;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.image.ImagePreprocessing;
import io.modelmonitor.models.image.InputComplexity;
import io.modelmonitor.models.image.OnnxImageEncoder;
import io.modelmonitor.models.image.RandomConvEncoder;
import io.modelmonitor.models.numeric.NumericEncoder;
import io.modelmonitor.models.runtime.SharedModels;
import io.modelmonitor.models.text.TextEncoder;
import io.modelmonitor.models.text.TextModelSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Opens the encoder a bundle was fitted with, from the location in its manifest or an override
 * ({@code --encoder}), with the bundle's preprocessing settings, and refuses it unless its identity
 * matches the bundle's. {@link #acquire} shares one instance per JVM between Flink subtasks.
 *
 * <pre>{@code
 * // in a Flink operator's open():
 * lease = BundleEncoders.acquire(bundle, null, Device.CPU, 1);
 * float[][] v = ((Encoder<String>) lease.get()).embed(texts);
 * // in close():
 * lease.close();
 * }</pre>
 */
public final class BundleEncoders {

    private BundleEncoders() {}

    /**
     * A new encoder for the bundle (the caller closes it).
     *
     * @param location overrides the manifest's encoder location, or {@code null}
     * @throws BundleException when the encoder cannot be opened or does not match the bundle
     */
    public static Encoder<?> open(
            ReferenceBundle bundle, String location, Device device, int intraOpThreads)
            throws BundleException {
        return open(
                bundle.modality(),
                bundle.encoderIdentity(),
                resolveOrEmpty(bundle, location),
                device,
                intraOpThreads);
    }

    /**
     * A new encoder of {@code modality} loaded from {@code location}, refused unless its identity
     * matches {@code expected}: what a Flink operator calls with the serializable part of a bundle.
     */
    public static Encoder<?> open(
            Modality modality,
            EncoderIdentity expected,
            String location,
            Device device,
            int intraOpThreads)
            throws BundleException {
        if (modality != Modality.NUMERIC && (location == null || location.isEmpty())) {
            throw new BundleException(
                    "the bundle names no encoder location; give one with --encoder");
        }
        Encoder<?> encoder =
                switch (modality) {
                    case NUMERIC -> new NumericEncoder(expected.dimension());
                    case TEXT -> openText(expected, location, device, intraOpThreads);
                    case IMAGE -> openImage(expected, location, device, intraOpThreads);
                };
        try {
            requireMatch(expected, encoder.identity());
            return encoder;
        } catch (BundleException e) {
            encoder.close();
            throw e;
        }
    }

    /** Throws unless {@code actual} is the encoder {@code expected} describes. */
    static void requireMatch(EncoderIdentity expected, EncoderIdentity actual)
            throws BundleException {
        String mismatch = expected.describeMismatch(actual);
        if (mismatch != null) {
            throw new BundleException(
                    "encoder mismatch: bundle was fitted with "
                            + expected.id()
                            + " but the given encoder is "
                            + (actual == null ? "none" : actual.id())
                            + " ("
                            + mismatch
                            + ")");
        }
    }

    /**
     * The JVM-wide shared encoder for the bundle: loaded by the first caller, closed when the last
     * lease closes.
     */
    public static SharedModels.Lease<Encoder<?>> acquire(
            ReferenceBundle bundle, String location, Device device, int intraOpThreads)
            throws BundleException {
        return acquire(
                bundle.modality(),
                bundle.encoderIdentity(),
                resolveOrEmpty(bundle, location),
                device,
                intraOpThreads);
    }

    /**
     * {@link #acquire(ReferenceBundle, String, Device, int)} from the serializable part of a
     * bundle.
     */
    @SuppressWarnings("unchecked")
    public static SharedModels.Lease<Encoder<?>> acquire(
            Modality modality,
            EncoderIdentity expected,
            String location,
            Device device,
            int intraOpThreads)
            throws BundleException {
        String key =
                "encoder/"
                        + modality.label()
                        + "/"
                        + expected.sha256()
                        + "/"
                        + expected.preprocessing()
                        + "/"
                        + location
                        + "/"
                        + device.label()
                        + "/"
                        + intraOpThreads;
        try {
            return (SharedModels.Lease<Encoder<?>>)
                    (SharedModels.Lease<?>)
                            SharedModels.acquire(
                                    key,
                                    () ->
                                            open(
                                                    modality,
                                                    expected,
                                                    location,
                                                    device,
                                                    intraOpThreads));
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof BundleException be) {
                throw be;
            }
            throw new BundleException(e.getMessage(), e);
        }
    }

    private static TextEncoder openText(
            EncoderIdentity expected, String location, Device device, int threads)
            throws BundleException {
        try {
            TextEncoder.Builder builder =
                    TextEncoder.builder()
                            .optModel(TextModelSource.at(location))
                            .optDevice(device)
                            .optIntraOpThreads(threads);
            String maxLength = expected.preprocessing().get("max_length");
            if (maxLength != null) {
                builder.optMaxLength(Integer.parseInt(maxLength));
            }
            String output = expected.preprocessing().get("output");
            if (output != null) {
                builder.optOutputName(output);
            }
            return builder.build();
        } catch (IOException | RuntimeException e) {
            throw new BundleException(
                    "cannot open text encoder " + location + ": " + e.getMessage(), e);
        }
    }

    /** Where an encoder was loaded from, as {@link #open} takes it, or null when unknown. */
    public static String locationOf(Encoder<?> encoder) {
        if (encoder instanceof TextEncoder text) {
            return text.source().location();
        }
        if (encoder instanceof RandomConvEncoder) {
            return RandomConvEncoder.NAME;
        }
        if (encoder instanceof OnnxImageEncoder onnx) {
            return onnx.modelPath().toString();
        }
        return null;
    }

    /**
     * {@code random-conv} or {@code input-complexity} (rebuilt from the identity's settings) or an
     * ONNX image model file.
     */
    private static Encoder<byte[]> openImage(
            EncoderIdentity expected, String location, Device device, int threads)
            throws BundleException {
        Map<String, String> s = expected.preprocessing();
        if (location.equals(InputComplexity.NAME)) {
            try {
                return InputComplexity.of(s);
            } catch (IllegalArgumentException e) {
                throw new BundleException("cannot open " + location + ": " + e.getMessage(), e);
            }
        }
        try {
            int size = Integer.parseInt(s.get("image_size"));
            int channels = Integer.parseInt(s.get("channels"));
            ImagePreprocessing preprocessing =
                    new ImagePreprocessing(
                            size, channels, floats(s.get("mean")), floats(s.get("std")));
            if (location.equals(RandomConvEncoder.NAME)) {
                return RandomConvEncoder.builder()
                        .optPreprocessing(preprocessing)
                        .optSeed(Long.parseLong(s.get("seed")))
                        .build();
            }
            return OnnxImageEncoder.builder()
                    .setModelPath(Path.of(location))
                    .optPreprocessing(preprocessing)
                    .optInputName(s.get("input"))
                    .optOutputName(s.get("output"))
                    .optDevice(device)
                    .optIntraOpThreads(threads)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new BundleException(
                    "cannot open image encoder " + location + ": " + e.getMessage(), e);
        }
    }

    /** Parses {@code Arrays.toString(float[])}. */
    private static float[] floats(String text) {
        String[] parts = text.replace("[", "").replace("]", "").split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.parseFloat(parts[i].trim());
        }
        return out;
    }

    private static String resolveOrEmpty(ReferenceBundle bundle, String location) {
        return location != null ? location : bundle.encoderLocation().orElse("");
    }
}
