package io.modelmonitor.models.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * One decoded image and its packed ARGB pixels, read from it once however many models prepare it
 * ({@link DecodedImageModel}): reading the pixels out of a {@link BufferedImage} converts each
 * through its colour model, a cost as large as the rest of preparing a small image. Not
 * thread-safe: one caller prepares one image.
 *
 * <pre>{@code
 * DecodedImage image = DecodedImage.decode(png);
 * float[] chw = ImagePreprocessing.unit(32, 3).apply(image);
 * }</pre>
 */
public final class DecodedImage {
    private final BufferedImage image;
    private int[] argb;

    /** The decoded {@code image}. */
    public DecodedImage(BufferedImage image) {
        this.image = image;
    }

    /**
     * Decodes one PNG or JPEG image.
     *
     * @throws IllegalArgumentException when the bytes are not a PNG or JPEG image ImageIO can read
     */
    public static DecodedImage decode(byte[] encoded) {
        // An in-memory stream: ImageIO.read(InputStream) caches the input in a temporary file (its
        // default), a file created and deleted per image, about a fifth of decoding a small one.
        ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded));
        BufferedImage image;
        try {
            image = ImageIO.read(in); // closes the stream, unless it finds no reader
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("undecodable image: " + e.getMessage(), e);
        }
        if (image == null) {
            try {
                in.close();
            } catch (IOException e) {
                // in memory: nothing to release
            }
            throw new IllegalArgumentException("undecodable image: not a PNG or JPEG");
        }
        return new DecodedImage(image);
    }

    public int width() {
        return image.getWidth();
    }

    public int height() {
        return image.getHeight();
    }

    /**
     * The pixels as sRGB {@code 0xAARRGGBB}, row by row ({@link BufferedImage#getRGB}), read on
     * first use; callers must not change the array.
     */
    public int[] argb() {
        if (argb == null) {
            argb = image.getRGB(0, 0, width(), height(), null, 0, width());
        }
        return argb;
    }
}
