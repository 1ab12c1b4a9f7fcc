package io.modelmonitor.models.image;

import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.EncoderIdentity;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.runtime.Checksums;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * An image outlier score from input complexity (Serrà et al. 2020, "Input complexity and
 * out-of-distribution detection with likelihood-based generative models"): the image is decoded,
 * resized to 32×32 RGB, quantised to bytes and compressed with DEFLATE at level 9; the score is how
 * far the log compressed length lies from the reference's median, in median absolute deviations, on
 * either side: |log L − m| / MAD. Noise makes an image less compressible than the reference, a flat
 * colour much more; both are far from the median. Plain Java, no model, deterministic and
 * thread-safe. Its one-value output is the score, so it is used as an outlier model of the raw
 * images (like conv-reconstruction), whatever encoder embeds them.
 *
 * <pre>{@code
 * InputComplexity c = InputComplexity.fit(fitPartImages);
 * float score = c.embed(List.of(png))[0][0];
 * }</pre>
 */
public final class InputComplexity implements Encoder<byte[]>, DecodedImageModel {
    /** Name of the model and of its location. */
    public static final String NAME = "input-complexity";

    private static final ImagePreprocessing PIXELS = ImagePreprocessing.unit(32, 3);

    private final double center;
    private final double spread;
    private final EncoderIdentity identity;

    private InputComplexity(double center, double spread) {
        this.center = center;
        this.spread = spread;
        Map<String, String> settings = new LinkedHashMap<>(PIXELS.describe());
        settings.put("compressor", "deflate-9");
        settings.put("center", Double.toString(center));
        settings.put("spread", Double.toString(spread));
        this.identity =
                new EncoderIdentity(
                        NAME,
                        Checksums.sha256((NAME + settings).getBytes(StandardCharsets.UTF_8)),
                        1,
                        settings);
    }

    /** The score centred on the median of these (fit-part) images' log compressed lengths. */
    public static InputComplexity fit(List<byte[]> images) {
        if (images.size() < 2) {
            throw new IllegalArgumentException("input complexity needs at least 2 images");
        }
        double[] logs = new double[images.size()];
        for (int i = 0; i < logs.length; i++) {
            logs[i] = logLength(DecodedImage.decode(images.get(i)));
        }
        double median = median(logs);
        double[] deviations = new double[logs.length];
        for (int i = 0; i < logs.length; i++) {
            deviations[i] = Math.abs(logs[i] - median);
        }
        // A floor keeps identical reference images from dividing by zero.
        return new InputComplexity(median, Math.max(median(deviations), 1e-6));
    }

    /** Restores the model from its identity's settings, e.g. read from a bundle. */
    public static InputComplexity of(Map<String, String> settings) {
        try {
            return new InputComplexity(
                    Double.parseDouble(settings.get("center")),
                    Double.parseDouble(settings.get("spread")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    NAME + " needs numeric 'center' and 'spread' settings, got " + settings, e);
        }
    }

    /** log of the DEFLATE-9 length of the image's 32×32 RGB bytes. */
    static double logLength(DecodedImage image) {
        byte[] raw;
        if (image.width() == PIXELS.size() && image.height() == PIXELS.size()) {
            // At the model's size the preprocessing neither resizes nor normalises (mean 0, std
            // 1), so each quantised value is that of a byte b: quantise(b / 255f) = b for every b
            // (tested), and the bytes are taken as they are, without the floats.
            raw = rgbBytes(image);
        } else {
            float[] x = PIXELS.apply(image);
            raw = new byte[x.length];
            for (int i = 0; i < x.length; i++) {
                raw[i] = (byte) quantise(x[i]);
            }
        }
        Deflater deflater = new Deflater(9);
        try {
            deflater.setInput(raw);
            deflater.finish();
            byte[] buffer = new byte[raw.length + 64];
            long length = 0;
            while (!deflater.finished()) {
                length += deflater.deflate(buffer);
            }
            return Math.log(length);
        } finally {
            deflater.end();
        }
    }

    /** A preprocessed value in [0, 1] (clamped) as a byte, 0 to 255. */
    static int quantise(float x) {
        return Math.round(Math.max(0, Math.min(1, x)) * 255);
    }

    /**
     * The image's R, G and B planes, channel-major, as {@link ImagePreprocessing} lays them out.
     */
    private static byte[] rgbBytes(DecodedImage image) {
        int[] argb = image.argb();
        byte[] raw = new byte[3 * argb.length];
        for (int i = 0; i < argb.length; i++) {
            raw[i] = (byte) (argb[i] >> 16);
            raw[argb.length + i] = (byte) (argb[i] >> 8);
            raw[2 * argb.length + i] = (byte) argb[i];
        }
        return raw;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    @Override
    public EncoderIdentity identity() {
        return identity;
    }

    @Override
    public Modality modality() {
        return Modality.IMAGE;
    }

    @Override
    public float[][] embed(List<byte[]> inputs) {
        float[][] out = new float[inputs.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = prepare(DecodedImage.decode(inputs.get(i)));
        }
        return out;
    }

    /** The score itself: all of this model's work is on the one image. */
    @Override
    public float[] prepare(DecodedImage image) {
        return new float[] {(float) (Math.abs(logLength(image) - center) / spread)};
    }

    @Override
    public float[][] embedPrepared(float[][] scores) {
        return scores.clone();
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s(center %.4f, spread %.4f)", NAME, center, spread);
    }
}
