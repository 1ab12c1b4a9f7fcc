package io.modelmonitor.models.image;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns PNG/JPEG bytes into the float tensor an image encoder takes, in plain Java: decode with
 * {@code javax.imageio}, convert to 1 (luma) or 3 (RGB) channels, resize bilinearly (pixel centres
 * aligned, as PIL's and OpenCV's bilinear resize without antialiasing), scale to [0, 1], normalise
 * per channel ((x − mean) / std), lay out channel-major (CHW, as ONNX vision models expect).
 *
 * <pre>{@code
 * ImagePreprocessing prep = ImagePreprocessing.imageNet(224);   // 3 × 224 × 224, ImageNet mean/std
 * float[] chw = prep.apply(pngBytes);
 * }</pre>
 *
 * @param size output width and height
 * @param channels 1 or 3
 * @param mean per-channel mean subtracted after scaling to [0, 1]
 * @param std per-channel standard deviation divided by
 */
public record ImagePreprocessing(int size, int channels, float[] mean, float[] std) {

    /** Validates the settings. */
    public ImagePreprocessing {
        if (size < 1) {
            throw new IllegalArgumentException("image size must be positive: " + size);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3: " + channels);
        }
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("need " + channels + " means and stds");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive: " + s);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** ImageNet normalisation (mean 0.485/0.456/0.406, std 0.229/0.224/0.225), RGB. */
    public static ImagePreprocessing imageNet(int size) {
        return new ImagePreprocessing(
                size,
                3,
                new float[] {0.485f, 0.456f, 0.406f},
                new float[] {0.229f, 0.224f, 0.225f});
    }

    /** Pixels scaled to [0, 1] only. */
    public static ImagePreprocessing unit(int size, int channels) {
        float[] zeros = new float[channels];
        float[] ones = new float[channels];
        Arrays.fill(ones, 1f);
        return new ImagePreprocessing(size, channels, zeros, ones);
    }

    /** Number of floats per image: channels × size × size. */
    public int length() {
        return channels * size * size;
    }

    /** Settings that change the tensor, for encoder identities. */
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("image_size", Integer.toString(size));
        d.put("channels", Integer.toString(channels));
        d.put("mean", Arrays.toString(mean));
        d.put("std", Arrays.toString(std));
        d.put("resize", "bilinear");
        return d;
    }

    /**
     * Decodes and preprocesses one image.
     *
     * @throws IllegalArgumentException when the bytes are not a PNG or JPEG image ImageIO can read
     */
    public float[] apply(byte[] encoded) {
        return apply(DecodedImage.decode(encoded));
    }

    /** Preprocesses a decoded image. */
    public float[] apply(BufferedImage image) {
        return apply(new DecodedImage(image));
    }

    /** Preprocesses a decoded image. */
    public float[] apply(DecodedImage image) {
        float[][] planes = planes(image.argb());
        float[] out = new float[length()];
        int plane = size * size;
        for (int c = 0; c < channels; c++) {
            float[] resized = resizeBilinear(planes[c], image.width(), image.height(), size, size);
            for (int i = 0; i < plane; i++) {
                out[c * plane + i] = (resized[i] - mean[c]) / std[c];
            }
        }
        return out;
    }

    /** Channel planes scaled to [0, 1]: R, G, B, or ITU-R BT.601 luma for one channel. */
    private float[][] planes(int[] argb) {
        float[][] planes = new float[channels][argb.length];
        for (int i = 0; i < argb.length; i++) {
            float r = ((argb[i] >> 16) & 0xff) / 255f;
            float g = ((argb[i] >> 8) & 0xff) / 255f;
            float b = (argb[i] & 0xff) / 255f;
            if (channels == 3) {
                planes[0][i] = r;
                planes[1][i] = g;
                planes[2][i] = b;
            } else {
                planes[0][i] = 0.299f * r + 0.587f * g + 0.114f * b;
            }
        }
        return planes;
    }

    /**
     * Bilinear resize with half-pixel centres; edges clamp. At equal sizes every source coordinate
     * is the integer pixel itself ((x + 0.5) · 1 − 0.5 = x exactly in double) and every weight 0,
     * so the interpolation gives back each value (v · 1 + w · 0 = v for the finite, non-negative
     * values of a plane): the plane is returned as it is, without the two thirds of a preprocessing
     * that the interpolation costs.
     */
    static float[] resizeBilinear(float[] src, int sw, int sh, int dw, int dh) {
        return sw == dw && sh == dh ? src : interpolate(src, sw, sh, dw, dh);
    }

    /** The bilinear interpolation of {@link #resizeBilinear}, at any sizes. */
    static float[] interpolate(float[] src, int sw, int sh, int dw, int dh) {
        float[] dst = new float[dw * dh];
        double sx = (double) sw / dw;
        double sy = (double) sh / dh;
        for (int y = 0; y < dh; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, sh - 1);
            int y1 = Math.min(y0 + 1, sh - 1);
            double wy = fy - y0;
            for (int x = 0; x < dw; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, sw - 1);
                int x1 = Math.min(x0 + 1, sw - 1);
                double wx = fx - x0;
                double top = src[y0 * sw + x0] * (1 - wx) + src[y0 * sw + x1] * wx;
                double bottom = src[y1 * sw + x0] * (1 - wx) + src[y1 * sw + x1] * wx;
                dst[y * dw + x] = (float) (top * (1 - wy) + bottom * wy);
            }
        }
        return dst;
    }
}
