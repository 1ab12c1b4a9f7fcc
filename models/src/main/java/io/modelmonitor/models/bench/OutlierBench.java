package io.modelmonitor.models.bench;

import io.modelmonitor.detectors.outlier.OutlierAuc;
import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.EncoderIdentity;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.BundleFitter;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.models.bundle.ReferenceBundle;
import io.modelmonitor.models.bundle.ReferenceData;
import io.modelmonitor.models.image.ConvAutoencoderTrainer;
import io.modelmonitor.models.image.ImagePreprocessing;
import io.modelmonitor.models.image.InputComplexity;
import io.modelmonitor.models.image.OnnxImageEncoder;
import io.modelmonitor.models.image.RandomConvEncoder;
import io.modelmonitor.models.outlier.OutlierMethod;
import io.modelmonitor.models.synthetic.SyntheticImages;
import io.modelmonitor.models.synthetic.SyntheticTexts;
import io.modelmonitor.models.text.TextEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Per-event ROC AUC and scoring cost of each outlier detector on each data kind, against known
 * outliers generated here: text (English product reviews; gibberish, reviews in other languages,
 * off-topic English), images (synthetic scenes; the scenes with mild Gaussian noise, random pixels,
 * flat colours, line drawings) with the default random-convolution encoder and the trained
 * convolutional autoencoder, and numeric features (correlated Gaussians; rows of another
 * population, rows with the correlations broken, single-feature spikes). Each detector is fitted
 * through {@link BundleFitter} exactly as {@code fit --outlier} fits it and scored through the
 * bundle's {@link ModelReference} as the job scores; the AUC compares held-out clean events with
 * the outliers, and {@code clean_flagged} is the share of held-out clean events above the
 * calibrated threshold (about 1 % expected at the 0.99 quantile).
 *
 * <pre>{@code
 * List<Map<String, Object>> figures = OutlierBench.run(42);
 * System.out.println(OutlierBench.table(figures));
 * }</pre>
 */
public final class OutlierBench {
    private static final List<OutlierMethod> VECTOR_METHODS =
            List.of(OutlierMethod.AUTOENCODER, OutlierMethod.MAHALANOBIS, OutlierMethod.KNN);

    private OutlierBench() {}

    /** One figure per data kind, encoder, outlier kind and method. */
    public static List<Map<String, Object>> run(long seed) throws Exception {
        List<Map<String, Object>> figures = new ArrayList<>();
        figures.addAll(numeric(seed));
        figures.addAll(images(seed));
        figures.addAll(text(seed));
        return figures;
    }

    /** The figures as a Markdown table: AUC per outlier kind and cost per event, per method. */
    public static String table(List<Map<String, Object>> figures) {
        Map<String, Map<String, List<Map<String, Object>>>> rows = new LinkedHashMap<>();
        for (Map<String, Object> f : figures) {
            rows.computeIfAbsent(
                            f.get("data") + " | " + f.get("encoder"), k -> new LinkedHashMap<>())
                    .computeIfAbsent((String) f.get("method"), k -> new ArrayList<>())
                    .add(f);
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Map<String, List<Map<String, Object>>>> group : rows.entrySet()) {
            List<Map<String, Object>> first = group.getValue().values().iterator().next();
            out.append("\n| data | encoder | detector |");
            first.forEach(f -> out.append(' ').append(f.get("outliers")).append(" |"));
            out.append(" µs/event | clean flagged |\n|---|---|---|");
            first.forEach(f -> out.append("---|"));
            out.append("---|---|\n");
            for (Map.Entry<String, List<Map<String, Object>>> m : group.getValue().entrySet()) {
                out.append("| ")
                        .append(group.getKey())
                        .append(" | ")
                        .append(m.getKey())
                        .append(" |");
                for (Map<String, Object> f : m.getValue()) {
                    out.append(String.format(Locale.ROOT, " %.3f |", (Double) f.get("auc")));
                }
                Map<String, Object> any = m.getValue().get(0);
                out.append(
                        String.format(
                                Locale.ROOT,
                                " %.2f | %.1f %% |%n",
                                (Double) any.get("ns_per_event") / 1000,
                                100 * (Double) any.get("clean_flagged")));
            }
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ data kinds

    /** The figures of one data kind. */
    public static List<Map<String, Object>> numeric(long seed) {
        List<Map<String, Object>> figures = new ArrayList<>();
        int d = 8;
        Random random = new Random(seed);
        double[][] loadings = new double[2][d];
        for (double[] l : loadings) {
            for (int j = 0; j < d; j++) {
                l[j] = random.nextGaussian();
            }
        }
        double[][] reference = numericRows(1000, loadings, 0, 0, false, seed + 1);
        Map<String, double[][]> outliers = new LinkedHashMap<>();
        outliers.put("other population", numericRows(200, loadings, 1.5, 0, false, seed + 2));
        outliers.put("broken correlations", numericRows(200, loadings, 0, 0, true, seed + 3));
        outliers.put("single-feature spike", numericRows(200, loadings, 0, 5, false, seed + 4));
        double[][] clean = numericRows(300, loadings, 0, 0, false, seed + 5);
        for (OutlierMethod method : VECTOR_METHODS) {
            ReferenceBundle bundle =
                    fitter(Modality.NUMERIC, null, method, seed)
                            .build()
                            .fit(ReferenceData.builder().setFeatures(reference).build());
            ModelReference ref = bundle.toModelReference();
            List<double[]> prepared = new ArrayList<>();
            double[] cleanScores = score(ref, clean, prepared);
            Map<String, double[]> outlierScores = new LinkedHashMap<>();
            outliers.forEach((kind, rows) -> outlierScores.put(kind, score(ref, rows, prepared)));
            add(
                    figures,
                    "numeric",
                    "features (d=8)",
                    method,
                    ref,
                    cleanScores,
                    outlierScores,
                    nanosPerEvent(ref, prepared));
        }
        return figures;
    }

    /**
     * Two latent factors through fixed loadings plus unit noise; {@code shift} moves every feature
     * by that many standard deviations, {@code spike} sets one random feature that many standard
     * deviations off, {@code shuffle} draws each feature of a row from a different reference row
     * (same marginals, no correlation).
     */
    private static double[][] numericRows(
            int n, double[][] loadings, double shift, double spike, boolean shuffle, long seed) {
        Random random = new Random(seed);
        int d = loadings[0].length;
        double[] sd = new double[d];
        for (int j = 0; j < d; j++) {
            sd[j] =
                    Math.sqrt(
                            1 + loadings[0][j] * loadings[0][j] + loadings[1][j] * loadings[1][j]);
        }
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            double z0 = random.nextGaussian();
            double z1 = random.nextGaussian();
            for (int j = 0; j < d; j++) {
                if (shuffle) {
                    // Fresh factors per feature: independent features with the same marginals.
                    z0 = random.nextGaussian();
                    z1 = random.nextGaussian();
                }
                out[i][j] =
                        z0 * loadings[0][j]
                                + z1 * loadings[1][j]
                                + random.nextGaussian()
                                + shift * sd[j]
                                + 10 * j;
            }
            if (spike > 0) {
                int j = random.nextInt(d);
                out[i][j] += (random.nextBoolean() ? 1 : -1) * spike * sd[j];
            }
        }
        return out;
    }

    /** The figures of one data kind. */
    public static List<Map<String, Object>> images(long seed) throws Exception {
        List<Map<String, Object>> figures = new ArrayList<>();
        List<byte[]> reference = SyntheticImages.scenes(600, new double[] {1, 1, 1}, 0, seed);
        List<byte[]> clean = SyntheticImages.scenes(300, new double[] {1, 1, 1}, 0, seed + 1);
        Map<String, List<byte[]>> outliers = new LinkedHashMap<>();
        outliers.put(
                "mild noise (std 25/255)",
                SyntheticImages.scenes(200, new double[] {1, 1, 1}, 25, seed + 2));
        outliers.put("random pixels", SyntheticImages.foreign(200, true, seed + 3));
        outliers.put("flat colours", SyntheticImages.foreign(200, false, seed + 4));
        outliers.put("line drawings", SyntheticImages.drawings(200, seed + 5));
        try (Encoder<?> random = RandomConvEncoder.builder().optChannels(3).optSeed(seed).build()) {
            encoded(
                    Modality.IMAGE,
                    RandomConvEncoder.NAME,
                    random,
                    reference,
                    clean,
                    outliers,
                    seed,
                    figures);
            inputComplexity(random, reference, clean, outliers, seed, figures);
        }
        Path dir = Files.createTempDirectory("outlier-bench");
        ConvAutoencoderTrainer.Result trained = trainConvAutoencoder(reference, seed);
        Path encoderFile = Files.write(dir.resolve("encoder.onnx"), trained.onnxModel());
        Path reconstructionFile =
                Files.write(dir.resolve("reconstruction.onnx"), trained.reconstructionModel());
        try (Encoder<?> encoder = onnx(encoderFile, ConvAutoencoderTrainer.OUTPUT);
                Encoder<?> reconstruction =
                        onnx(reconstructionFile, ConvAutoencoderTrainer.RECONSTRUCTION_ERROR)) {
            encoded(
                    Modality.IMAGE,
                    ConvAutoencoderTrainer.NAME,
                    encoder,
                    reference,
                    clean,
                    outliers,
                    seed,
                    figures);
            convReconstruction(
                    encoder,
                    reconstruction,
                    reconstructionFile,
                    reference,
                    clean,
                    outliers,
                    seed,
                    figures);
        }
        return figures;
    }

    /**
     * The trained autoencoder's own reconstruction error, fitted as {@code fit --outlier
     * conv-reconstruction} fits it; its cost per event is the whole autoencoder's forward pass on
     * the image (ONNX Runtime), not an extra step after the encoder like the others.
     */
    @SuppressWarnings("unchecked")
    private static void convReconstruction(
            Encoder<?> encoder,
            Encoder<?> reconstruction,
            Path location,
            List<byte[]> reference,
            List<byte[]> clean,
            Map<String, List<byte[]>> outliers,
            long seed,
            List<Map<String, Object>> figures) {
        ModelReference ref =
                fitter(Modality.IMAGE, encoder, null, seed)
                        .optEncoderLocation("in-memory")
                        .optOutlierModel(reconstruction, location.toString())
                        .build()
                        .fit(ReferenceData.builder().setImages(reference).build())
                        .toModelReference("bench", "in-memory");
        imageModelFigures(
                ref,
                (Encoder<byte[]>) reconstruction,
                ConvAutoencoderTrainer.NAME,
                OutlierMethod.CONV_RECONSTRUCTION,
                clean,
                outliers,
                figures);
    }

    /**
     * Input complexity, fitted as {@code fit --outlier input-complexity} fits it: it reads the
     * images, not the embedding, so the encoder makes no difference; its cost per event includes
     * decoding the image.
     */
    private static void inputComplexity(
            Encoder<?> encoder,
            List<byte[]> reference,
            List<byte[]> clean,
            Map<String, List<byte[]>> outliers,
            long seed,
            List<Map<String, Object>> figures) {
        ModelReference ref =
                fitter(Modality.IMAGE, encoder, OutlierMethod.INPUT_COMPLEXITY, seed)
                        .optEncoderLocation("in-memory")
                        .build()
                        .fit(ReferenceData.builder().setImages(reference).build())
                        .toModelReference("bench", "in-memory");
        imageModelFigures(
                ref,
                InputComplexity.of(ref.outlierModel().preprocessing()),
                "any (pixels)",
                OutlierMethod.INPUT_COMPLEXITY,
                clean,
                outliers,
                figures);
    }

    /** Figures of an outlier model of images: its one output per image is the score. */
    private static void imageModelFigures(
            ModelReference ref,
            Encoder<byte[]> model,
            String encoderLabel,
            OutlierMethod method,
            List<byte[]> clean,
            Map<String, List<byte[]>> outliers,
            List<Map<String, Object>> figures) {
        double[] cleanScores = firstValues(model.embed(clean));
        Map<String, double[]> outlierScores = new LinkedHashMap<>();
        outliers.forEach(
                (kind, images) -> outlierScores.put(kind, firstValues(model.embed(images))));
        double best = Double.POSITIVE_INFINITY;
        for (int pass = 0; pass < 3; pass++) {
            long t0 = System.nanoTime();
            model.embed(clean);
            best = Math.min(best, (double) (System.nanoTime() - t0) / clean.size());
        }
        add(
                figures,
                Modality.IMAGE.label(),
                encoderLabel,
                method,
                ref,
                cleanScores,
                outlierScores,
                best);
    }

    private static double[] firstValues(float[][] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i][0];
        }
        return out;
    }

    private static ConvAutoencoderTrainer.Result trainConvAutoencoder(
            List<byte[]> pngs, long seed) {
        ImagePreprocessing preprocessing = ConvAutoencoderTrainer.PREPROCESSING;
        List<float[]> images = new ArrayList<>();
        for (int i :
                BundleFitter.fitIndices(pngs.size(), seed, BundleFitter.DEFAULT_FIT_FRACTION)) {
            images.add(preprocessing.apply(pngs.get(i)));
        }
        return ConvAutoencoderTrainer.builder()
                .setPreprocessing(preprocessing)
                .optSeed(seed)
                .build()
                .trainAndEmbed(images, List.of());
    }

    private static OnnxImageEncoder onnx(Path file, String output) throws Exception {
        return OnnxImageEncoder.builder()
                .setModelPath(file)
                .optPreprocessing(ConvAutoencoderTrainer.PREPROCESSING)
                .optOutputName(output)
                .optIntraOpThreads(2)
                .build();
    }

    /** The figures of one data kind. */
    public static List<Map<String, Object>> text(long seed) throws Exception {
        List<Map<String, Object>> figures = new ArrayList<>();
        List<String> reference = SyntheticTexts.reviews(800, seed);
        List<String> clean = SyntheticTexts.reviews(300, seed + 1);
        Map<String, List<String>> outliers = new LinkedHashMap<>();
        outliers.put("gibberish", SyntheticTexts.randomCharacters(200, seed + 2));
        outliers.put("other language", SyntheticTexts.foreignReviews(200, seed + 3));
        outliers.put("another topic", SyntheticTexts.offTopic(200, seed + 4));
        try (TextEncoder encoder = TextEncoder.builder().optIntraOpThreads(2).build()) {
            encoded(
                    Modality.TEXT,
                    "all-MiniLM-L6-v2",
                    encoder,
                    reference,
                    clean,
                    outliers,
                    seed,
                    figures);
        }
        return figures;
    }

    /** Embeds every input once, then fits and scores each method on the same embeddings. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <I> void encoded(
            Modality modality,
            String encoderLabel,
            Encoder<?> encoder,
            List<I> reference,
            List<I> clean,
            Map<String, List<I>> outliers,
            long seed,
            List<Map<String, Object>> figures) {
        Memo memo = new Memo((Encoder<Object>) encoder);
        ReferenceData.Builder data = ReferenceData.builder();
        if (modality == Modality.TEXT) {
            data.setTexts((List<String>) reference);
        } else {
            data.setImages((List<byte[]>) reference);
        }
        ReferenceData referenceData = data.build();
        float[][] cleanEmbeddings = memo.embed((List) clean);
        Map<String, float[][]> outlierEmbeddings = new LinkedHashMap<>();
        outliers.forEach((kind, inputs) -> outlierEmbeddings.put(kind, memo.embed((List) inputs)));
        for (OutlierMethod method : VECTOR_METHODS) {
            ModelReference ref =
                    fitter(modality, memo, method, seed)
                            .optEncoderLocation("in-memory")
                            .build()
                            .fit(referenceData)
                            .toModelReference("bench", "in-memory");
            List<double[]> prepared = new ArrayList<>();
            double[] cleanScores = score(ref, cleanEmbeddings, prepared);
            Map<String, double[]> outlierScores = new LinkedHashMap<>();
            outlierEmbeddings.forEach(
                    (kind, e) -> outlierScores.put(kind, score(ref, e, prepared)));
            add(
                    figures,
                    modality.label(),
                    encoderLabel,
                    method,
                    ref,
                    cleanScores,
                    outlierScores,
                    nanosPerEvent(ref, prepared));
        }
    }

    private static BundleFitter.Builder fitter(
            Modality modality, Encoder<?> encoder, OutlierMethod method, long seed) {
        return BundleFitter.builder()
                .setModality(modality)
                .optEncoder(encoder)
                .optOutlierMethod(method)
                .optSeed(seed);
    }

    private static double[] score(ModelReference ref, double[][] rows, List<double[]> prepared) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double[] p = ref.prepare(rows[i]);
            prepared.add(p);
            out[i] = ref.outlierScore(p);
        }
        return out;
    }

    private static double[] score(ModelReference ref, float[][] rows, List<double[]> prepared) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double[] p = ref.prepare(rows[i]);
            prepared.add(p);
            out[i] = ref.outlierScore(p);
        }
        return out;
    }

    private static void add(
            List<Map<String, Object>> figures,
            String data,
            String encoder,
            OutlierMethod method,
            ModelReference ref,
            double[] clean,
            Map<String, double[]> outliers,
            double ns) {
        long flagged =
                java.util.Arrays.stream(clean).filter(ref.outlierCalibration()::isOutlier).count();
        for (Map.Entry<String, double[]> kind : outliers.entrySet()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", "outliers." + data + "." + method.label());
            f.put("data", data);
            f.put("encoder", encoder);
            f.put("outliers", kind.getKey());
            f.put("method", method.label());
            f.put("auc", round(OutlierAuc.of(kind.getValue(), clean)));
            f.put("ns_per_event", (double) Math.round(ns));
            f.put("clean_flagged", round((double) flagged / clean.length));
            f.put("n_clean", clean.length);
            f.put("n_outliers", kind.getValue().length);
            figures.add(f);
        }
    }

    /**
     * Scoring cost of one prepared vector (what the detector adds to the job's per-event path), the
     * best of five timed passes after a warm-up.
     */
    private static double nanosPerEvent(ModelReference ref, List<double[]> prepared) {
        double sink = 0;
        double best = Double.POSITIVE_INFINITY;
        for (int pass = 0; pass < 7; pass++) {
            long t0 = System.nanoTime();
            for (double[] p : prepared) {
                sink += ref.outlierScore(p);
            }
            long elapsed = System.nanoTime() - t0;
            if (pass >= 2) {
                best = Math.min(best, (double) elapsed / prepared.size());
            }
        }
        if (sink == 42) {
            System.err.print("");
        }
        return best;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    /** An encoder that embeds each input object once and remembers it (by identity). */
    private static final class Memo implements Encoder<Object> {
        private final Encoder<Object> encoder;
        private final Map<Object, float[]> seen = new IdentityHashMap<>();

        Memo(Encoder<Object> encoder) {
            this.encoder = encoder;
        }

        @Override
        public EncoderIdentity identity() {
            return encoder.identity();
        }

        @Override
        public Modality modality() {
            return encoder.modality();
        }

        @Override
        public float[][] embed(List<Object> inputs) {
            List<Object> missing = new ArrayList<>();
            for (Object input : inputs) {
                if (!seen.containsKey(input)) {
                    missing.add(input);
                }
            }
            for (int start = 0; start < missing.size(); start += 256) {
                List<Object> batch = missing.subList(start, Math.min(missing.size(), start + 256));
                float[][] vectors = encoder.embed(batch);
                for (int i = 0; i < vectors.length; i++) {
                    seen.put(batch.get(i), vectors[i]);
                }
            }
            float[][] out = new float[inputs.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = seen.get(inputs.get(i));
            }
            return out;
        }

        @Override
        public void close() {}
    }
}
