package io.modelmonitor.models.image;

/**
 * An image model ({@link RandomConvEncoder}, {@link OnnxImageEncoder}, {@link InputComplexity})
 * split into its work on one decoded image and its work on a batch, so that a caller giving the
 * same images to several models (an encoder and an outlier model) decodes each image once, and
 * holds one decoded image at a time rather than a batch of them. {@code embedPrepared} of the
 * prepared images equals the model's {@code embed} of their bytes, bit for bit.
 *
 * <pre>{@code
 * DecodedImage image = DecodedImage.decode(png);
 * float[] v = encoder.embedPrepared(new float[][] {encoder.prepare(image)})[0];
 * float score = complexity.embedPrepared(new float[][] {complexity.prepare(image)})[0][0];
 * }</pre>
 */
public interface DecodedImageModel {
    /** What this model needs of one decoded image (its preprocessed tensor, for an encoder). */
    float[] prepare(DecodedImage image);

    /** One output per prepared image, in order: what {@code embed} gives for their bytes. */
    float[][] embedPrepared(float[][] prepared);
}
