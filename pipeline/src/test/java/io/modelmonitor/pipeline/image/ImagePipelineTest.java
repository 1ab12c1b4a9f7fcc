package io.modelmonitor.pipeline.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmonitor.models.onnx.OnnxGraph;
import io.modelmonitor.pipeline.cli.Main;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images end to end: {@code fit} embeds synthetic PNGs with the seeded random-convolution encoder,
 * {@code run} embeds the stream the same way, and the MMD test flags exactly the window whose
 * images carry Gaussian noise.
 */
class ImagePipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long START = 1_795_824_000_000L; // 2026-11-28T00:00:00Z
    private static final int NOISY_WINDOW = 2;

    @Test
    void noisyWindowDriftsAndCleanOnesDoNot(@TempDir Path dir) throws Exception {
        fitAndRunFindsTheNoisyWindow(dir);
        // The default image outlier detector, input complexity, flags the noisy images one by one.
        JsonNode manifest = JSON.readTree(dir.resolve("bundle/manifest.json").toFile());
        assertEquals("input-complexity", manifest.at("/outlier/method").asText());
        assertOutliersInTheNoisyWindowOnly(dir);
    }

    /**
     * The same with the convolutional autoencoder trained at fit (DJL/PyTorch), run from its ONNX
     * export in the bundle.
     */
    @Test
    void trainedAutoencoderFindsTheNoisyWindowFromAMovedBundle(@TempDir Path dir) throws Exception {
        fitAndRunFindsTheNoisyWindow(
                dir, "--encoder", "conv-autoencoder", "--outlier", "conv-reconstruction");
        // The trained autoencoder's own reconstruction error: a second ONNX model in the bundle
        // that the job runs on the images.
        JsonNode manifest = JSON.readTree(dir.resolve("bundle/manifest.json").toFile());
        assertEquals("conv-reconstruction", manifest.at("/outlier/method").asText());
        assertTrue(Files.isRegularFile(dir.resolve("bundle/outlier-reconstruction.onnx")));
        assertOutliersInTheNoisyWindowOnly(dir);
        // Another model in its place is refused at start-up, in one line naming it.
        Files.copy(
                dir.resolve("bundle/encoder.onnx"),
                dir.resolve("bundle/outlier-reconstruction.onnx"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                Main.execute(
                        new String[] {
                            "run",
                            "--bundle",
                            dir.resolve("bundle").toString(),
                            "--events",
                            "file:" + dir.resolve("events.jsonl"),
                            "--alerts",
                            "file:" + dir.resolve("alerts2.jsonl")
                        },
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err));
        assertEquals(2, status, err.toString());
        assertTrue(err.toString().contains("outlier model"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    private static void assertOutliersInTheNoisyWindowOnly(Path dir) throws Exception {
        Map<Integer, Integer> outliersByWindow = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("reports.jsonl"))) {
            JsonNode r = JSON.readTree(line);
            int window = Integer.parseInt(r.get("window_start").asText().substring(11, 13));
            outliersByWindow.put(window, r.at("/outliers/count").asInt());
        }
        for (int w : List.of(0, 1, 3)) {
            assertTrue(outliersByWindow.get(w) <= 5, "clean window outliers " + outliersByWindow);
        }
        assertTrue(outliersByWindow.get(NOISY_WINDOW) >= 30, "noisy window " + outliersByWindow);
    }

    private void fitAndRunFindsTheNoisyWindow(Path dir, String... fitFlags) throws Exception {
        writeReferenceAndStream(dir, 11);

        List<String> fit =
                new ArrayList<>(
                        List.of(
                                "fit",
                                "--reference",
                                dir.resolve("reference.jsonl").toString(),
                                "--out",
                                dir.resolve("fitted").toString(),
                                "--pca-components",
                                "16"));
        fit.addAll(List.of(fitFlags));
        assertEquals(0, monitor(fit.toArray(String[]::new)));
        // A bundle is self-contained: it still works moved to another directory.
        Files.move(dir.resolve("fitted"), dir.resolve("bundle"));
        assertEquals(
                0,
                monitor(
                        "run",
                        "--bundle",
                        dir.resolve("bundle").toString(),
                        "--events",
                        "file:" + dir.resolve("events.jsonl"),
                        "--alerts",
                        "file:" + dir.resolve("alerts.jsonl"),
                        "--reports",
                        "file:" + dir.resolve("reports.jsonl"),
                        "--window-size",
                        "1h",
                        "--min-window-count",
                        "20",
                        "--p-value",
                        "0.01",
                        "--permutations",
                        "300",
                        "--checkpoint-interval",
                        "0"));

        Map<Integer, Boolean> driftByWindow = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("reports.jsonl"))) {
            JsonNode r = JSON.readTree(line);
            int window = Integer.parseInt(r.get("window_start").asText().substring(11, 13));
            assertEquals(60, r.get("count").asInt());
            driftByWindow.put(window, r.get("drift").get("mmd").get("drift").asBoolean());
        }
        assertEquals(Map.of(0, false, 1, false, 2, true, 3, false), driftByWindow);
        String alerts = Files.readString(dir.resolve("alerts.jsonl"));
        assertTrue(
                alerts.contains("\"alert_id\":\"default/drift.mmd/2026-11-28T02:00:00Z\""), alerts);
        assertFalse(alerts.contains("drift.mmd/2026-11-28T00:00:00Z"), alerts);
    }

    /**
     * A user-supplied ONNX image model (here a small convolutional network with seeded weights,
     * written by {@link OnnxGraph}) through {@code fit --encoder MODEL.onnx} with its preprocessing
     * flags: the bundle records the preprocessing, {@code run} finds exactly the noisy window with
     * it, and a model with other weights given at run time is refused in one line.
     */
    @Test
    void userSuppliedOnnxModelFitsRunsAndIsRefusedWhenSwapped(@TempDir Path dir) throws Exception {
        writeReferenceAndStream(dir, 13);
        Path model = dir.resolve("features.onnx");
        convFeatures(1).write(model);
        Path other = dir.resolve("other.onnx");
        convFeatures(2).write(other);

        assertEquals(
                0,
                monitor(
                        "fit",
                        "--reference",
                        dir.resolve("reference.jsonl").toString(),
                        "--out",
                        dir.resolve("bundle").toString(),
                        "--pca-components",
                        "16",
                        "--encoder",
                        model.toString(),
                        "--image-size",
                        "32",
                        "--image-mean",
                        "0.5;0.5;0.5",
                        "--image-std",
                        "0.25",
                        "--image-std",
                        "0.25",
                        "--image-std",
                        "0.25",
                        "--image-output",
                        "embedding"));
        JsonNode encoder =
                JSON.readTree(dir.resolve("bundle").resolve("manifest.json").toFile())
                        .get("encoder")
                        .get("preprocessing");
        assertEquals("32", encoder.get("image_size").asText(), encoder.toString());
        assertEquals("[0.5, 0.5, 0.5]", encoder.get("mean").asText(), encoder.toString());
        assertEquals("[0.25, 0.25, 0.25]", encoder.get("std").asText(), encoder.toString());
        assertEquals("embedding", encoder.get("output").asText(), encoder.toString());

        String[] run = {
            "run",
            "--bundle",
            dir.resolve("bundle").toString(),
            "--events",
            "file:" + dir.resolve("events.jsonl"),
            "--alerts",
            "file:" + dir.resolve("alerts.jsonl"),
            "--reports",
            "file:" + dir.resolve("reports.jsonl"),
            "--window-size",
            "1h",
            "--min-window-count",
            "20",
            "--p-value",
            "0.01",
            "--permutations",
            "300",
            "--checkpoint-interval",
            "0"
        };
        assertEquals(0, monitor(run));
        Map<Integer, Boolean> driftByWindow = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("reports.jsonl"))) {
            JsonNode r = JSON.readTree(line);
            driftByWindow.put(
                    Integer.parseInt(r.get("window_start").asText().substring(11, 13)),
                    r.get("drift").get("mmd").get("drift").asBoolean());
        }
        assertEquals(Map.of(0, false, 1, false, 2, true, 3, false), driftByWindow);

        List<String> swapped = new ArrayList<>(List.of(run));
        swapped.addAll(List.of("--encoder", other.toString()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(
                2,
                Main.execute(
                        swapped.toArray(String[]::new),
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err)));
        String message = err.toString().strip();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains("encoder mismatch"), message);
    }

    /**
     * Conv(3→8, stride 2) → Relu → Conv(8→8, stride 2) → Relu → Flatten: 512 features of a 32×32
     * RGB image.
     */
    private static OnnxGraph.Builder convFeatures(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return OnnxGraph.builder("features")
                .input("pixels", 3, 32, 32)
                .initializer("w1", new long[] {8, 3, 3, 3}, he(r, 8 * 3 * 9, 3 * 9))
                .initializer("w2", new long[] {8, 8, 3, 3}, he(r, 8 * 8 * 9, 8 * 9))
                .node(
                        "Conv",
                        List.of("pixels", "w1"),
                        List.of("c1"),
                        OnnxGraph.Attribute.ints("kernel_shape", 3, 3),
                        OnnxGraph.Attribute.ints("strides", 2, 2),
                        OnnxGraph.Attribute.ints("pads", 1, 1, 1, 1))
                .node("Relu", List.of("c1"), List.of("r1"))
                .node(
                        "Conv",
                        List.of("r1", "w2"),
                        List.of("c2"),
                        OnnxGraph.Attribute.ints("kernel_shape", 3, 3),
                        OnnxGraph.Attribute.ints("strides", 2, 2),
                        OnnxGraph.Attribute.ints("pads", 1, 1, 1, 1))
                .node("Relu", List.of("c2"), List.of("r2"))
                .node(
                        "Flatten",
                        List.of("r2"),
                        List.of("embedding"),
                        OnnxGraph.Attribute.integer("axis", 1))
                .output("embedding", 8 * 8 * 8);
    }

    /** He-initialised weights: Gaussian with variance 2 / fan-in. */
    private static float[] he(SplittableRandom r, int n, int fanIn) {
        float[] w = new float[n];
        double scale = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < n; i++) {
            double u = 1 - r.nextDouble();
            w[i] =
                    (float)
                            (scale
                                    * Math.sqrt(-2 * Math.log(u))
                                    * Math.cos(2 * Math.PI * r.nextDouble()));
        }
        return w;
    }

    /**
     * 300 clean reference scenes, and a stream of four hourly windows of 60 whose window {@link
     * #NOISY_WINDOW} is noisy.
     */
    private static void writeReferenceAndStream(Path dir, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> reference = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            reference.add(event("r" + i, START - 86_400_000L + i * 1000L, image(rnd, 0)));
        }
        List<String> stream = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            for (int i = 0; i < 60; i++) {
                stream.add(
                        event(
                                "e" + w + "-" + i,
                                START + w * 3_600_000L + i * 50_000L,
                                image(rnd, w == NOISY_WINDOW ? 60 : 0)));
            }
        }
        Files.write(dir.resolve("reference.jsonl"), reference);
        Files.write(dir.resolve("events.jsonl"), stream);
    }

    private static int monitor(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                Main.execute(
                        args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        if (status != 0) {
            System.err.println(err);
        }
        return status;
    }

    private static String event(String id, long ts, byte[] png) throws Exception {
        return JSON.writeValueAsString(
                Map.of("id", id, "ts", ts, "image", Base64.getEncoder().encodeToString(png)));
    }

    /**
     * A 32×32 scene: a colour gradient and a disc at a random place; optional per-pixel Gaussian
     * noise.
     */
    private static byte[] image(SplittableRandom rnd, double noise) throws Exception {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        int base = 60 + rnd.nextInt(80);
        for (int y = 0; y < 32; y++) {
            g.setColor(new Color(base, Math.min(255, base + y * 3), 120));
            g.drawLine(0, y, 31, y);
        }
        g.setColor(new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)));
        int r = 4 + rnd.nextInt(8);
        g.fillOval(rnd.nextInt(32 - r), rnd.nextInt(32 - r), r, r);
        g.dispose();
        if (noise > 0) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    int rgb = img.getRGB(x, y);
                    int[] c = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
                    for (int k = 0; k < 3; k++) {
                        c[k] = (int) Math.max(0, Math.min(255, c[k] + noise * rnd.nextGaussian()));
                    }
                    img.setRGB(x, y, (c[0] << 16) | (c[1] << 8) | c[2]);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
