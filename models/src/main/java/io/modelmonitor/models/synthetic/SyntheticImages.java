package io.modelmonitor.models.synthetic;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Seeded 32×32 RGB PNG images for tests, benchmarks and demos: scenes of three classes (the
 * reference kind) and images unlike them: the scenes with Gaussian pixel noise, uniform random
 * pixels, one flat colour, and line drawings (dark strokes on a light background: another domain
 * altogether).
 */
public final class SyntheticImages {
    /** Side of every image, in pixels. */
    public static final int SIDE = 32;

    private static final String[] CLASSES = {"disc", "square", "stripes"};

    private SyntheticImages() {}

    /**
     * Scenes: a dark random background with faint pixel noise and one disc, square or stripe
     * pattern of a random bright colour, position and size; classes drawn with the given weights;
     * {@code noiseStd} (of 255) adds a Gaussian-noise corruption.
     */
    public static List<byte[]> scenes(int n, double[] classWeights, double noiseStd, long seed) {
        Random random = new Random(seed);
        double total = classWeights[0] + classWeights[1] + classWeights[2];
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble() * total;
            int cls = u < classWeights[0] ? 0 : u < classWeights[0] + classWeights[1] ? 1 : 2;
            BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(new Color(random.nextInt(60), random.nextInt(60), random.nextInt(60)));
            g.fillRect(0, 0, SIDE, SIDE);
            g.setColor(
                    new Color(
                            120 + random.nextInt(136),
                            120 + random.nextInt(136),
                            120 + random.nextInt(136)));
            int size = 8 + random.nextInt(12);
            int x = random.nextInt(SIDE - size + 1);
            int y = random.nextInt(SIDE - size + 1);
            switch (CLASSES[cls]) {
                case "disc" -> g.fillOval(x, y, size, size);
                case "square" -> g.fillRect(x, y, size, size);
                default -> {
                    int period = 4 + random.nextInt(5);
                    boolean vertical = random.nextBoolean();
                    for (int s = random.nextInt(period); s < SIDE; s += period) {
                        if (vertical) {
                            g.fillRect(s, 0, period / 2, SIDE);
                        } else {
                            g.fillRect(0, s, SIDE, period / 2);
                        }
                    }
                }
            }
            g.dispose();
            addNoise(image, 4, random);
            if (noiseStd > 0) {
                addNoise(image, noiseStd, random);
            }
            out.add(png(image));
        }
        return out;
    }

    /** Images unlike the scenes: uniform random pixels, or one solid random colour. */
    public static List<byte[]> foreign(int n, boolean pixelNoise, long seed) {
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
            int solid = random.nextInt(1 << 24);
            for (int r = 0; r < SIDE; r++) {
                for (int c = 0; c < SIDE; c++) {
                    image.setRGB(c, r, pixelNoise ? random.nextInt(1 << 24) : solid);
                }
            }
            out.add(png(image));
        }
        return out;
    }

    /**
     * Line drawings: two to four dark strokes (lines, rings, arcs) on a light, faintly noisy
     * background; the palette and the texture of another domain.
     */
    public static List<byte[]> drawings(int n, long seed) {
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            int paper = 200 + random.nextInt(56);
            g.setColor(new Color(paper, paper, Math.max(0, paper - random.nextInt(30))));
            g.fillRect(0, 0, SIDE, SIDE);
            int ink = random.nextInt(70);
            g.setColor(new Color(ink, ink, ink + random.nextInt(40)));
            g.setStroke(new BasicStroke(1 + random.nextInt(2)));
            int strokes = 2 + random.nextInt(3);
            for (int s = 0; s < strokes; s++) {
                int x = random.nextInt(SIDE);
                int y = random.nextInt(SIDE);
                int w = 4 + random.nextInt(SIDE - 4);
                int h = 4 + random.nextInt(SIDE - 4);
                switch (random.nextInt(3)) {
                    case 0 -> g.drawLine(x, y, random.nextInt(SIDE), random.nextInt(SIDE));
                    case 1 -> g.drawOval(x - w / 2, y - h / 2, w, h);
                    default -> g.drawArc(x - w / 2, y - h / 2, w, h, random.nextInt(360), 180);
                }
            }
            g.dispose();
            addNoise(image, 4, random);
            out.add(png(image));
        }
        return out;
    }

    private static void addNoise(BufferedImage image, double std, Random random) {
        var raster = image.getRaster();
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) {
                for (int b = 0; b < 3; b++) {
                    double v = raster.getSample(c, r, b) + std * random.nextGaussian();
                    raster.setSample(c, r, b, (int) Math.max(0, Math.min(255, Math.round(v))));
                }
            }
        }
    }

    private static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(image, "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
