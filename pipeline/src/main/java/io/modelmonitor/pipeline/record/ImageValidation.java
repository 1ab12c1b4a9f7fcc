package io.modelmonitor.pipeline.record;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Validation of a prediction record's {@code image} field for {@link EventParser}: every image that
 * passes decodes, so a bad one becomes a dead letter with its reason instead of a failure inside an
 * image encoder.
 */
final class ImageValidation {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private ImageValidation() {}

    /**
     * The image of field {@code image}: base64 of a PNG or JPEG of at most {@code maxPixels} pixels
     * that decodes.
     */
    static byte[] decode(JsonNode img, long maxPixels) throws InvalidRecordException {
        if (!img.isTextual()) {
            throw new InvalidRecordException("field 'image' must be a base64 string");
        }
        byte[] bytes;
        try {
            // Strict decoder: the MIME one silently skips invalid characters, so garbage would
            // decode to nothing.
            String text = img.asText();
            // Most images come unwrapped: the regex's pass over their few kilobytes was a third of
            // validating a small one.
            bytes =
                    Base64.getDecoder()
                            .decode(
                                    hasWhitespace(text)
                                            ? WHITESPACE.matcher(text).replaceAll("")
                                            : text);
        } catch (IllegalArgumentException ex) {
            throw new InvalidRecordException("field 'image' is not valid base64");
        }
        check(bytes, maxPixels);
        return bytes;
    }

    /** Whether {@code text} holds a character of {@link #WHITESPACE} ({@code [ \t\n\x0B\f\r]}). */
    static boolean hasWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || (c >= '\t' && c <= '\r')) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks the header first (non-images, decompression bombs), then decodes within that bound.
     */
    private static void check(byte[] bytes, long maxPixels) throws InvalidRecordException {
        boolean png =
                bytes.length > 8
                        && (bytes[0] & 0xff) == 0x89
                        && bytes[1] == 'P'
                        && bytes[2] == 'N'
                        && bytes[3] == 'G';
        boolean jpeg = bytes.length > 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8;
        if (!png && !jpeg) {
            throw new InvalidRecordException("field 'image' is not a PNG or JPEG");
        }
        // In memory: ImageIO.createImageInputStream caches its input in a temporary file (its
        // default), a file created and deleted per image.
        try (ImageInputStream in =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InvalidRecordException("field 'image' is undecodable");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w <= 0 || h <= 0 || w * h > maxPixels) {
                    throw new InvalidRecordException(
                            "field 'image' has "
                                    + w
                                    + "x"
                                    + h
                                    + " pixels, over the limit of "
                                    + maxPixels);
                }
                // Decode once here, within the pixel bound, so a truncated image is a dead letter
                // with its
                // reason instead of a failure inside the encoder.
                reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException ex) {
            throw new InvalidRecordException(
                    "field 'image' is undecodable: "
                            + EventParser.firstLine(String.valueOf(ex.getMessage())));
        }
    }
}
