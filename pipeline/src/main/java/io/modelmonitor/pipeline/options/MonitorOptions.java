package io.modelmonitor.pipeline.options;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.TimeUtils;

/**
 * Every tunable of Model Monitor, declared once: typed, defaulted, described and validated.
 *
 * <p>The option key is the command-line flag without its leading dashes ({@code window-size} is
 * {@code --window-size}); the CLI, {@code flink run} arguments and the Kubernetes manifests all go
 * through this class, and the README's flag table is generated from it. Kafka client settings are
 * not options here: they pass through as {@code --kafka.<property> value}.
 *
 * <pre>{@code
 * Configuration conf = Configuration.fromMap(Map.of("window-size", "5m"));
 * MonitorOptions.validate(conf);
 * Duration size = conf.get(MonitorOptions.WINDOW_SIZE);
 * }</pre>
 */
public final class MonitorOptions {
    private MonitorOptions() {}

    // ---- inputs and outputs ------------------------------------------------------------------

    public static final ConfigOption<List<String>> BUNDLE = ConfigOptions.key("bundle")
            .stringType().asList().noDefaultValue()
            .withDescription("Reference bundle directory written by 'fit', as [MODEL=]DIR; repeat the flag for several models. "
                    + "Without MODEL= the bundle serves model 'default'.");
    public static final ConfigOption<String> EVENTS = ConfigOptions.key("events")
            .stringType().noDefaultValue()
            .withDescription("Prediction events: file:PATH (JSON lines, bounded) or kafka://HOST:PORT/TOPIC.");
    public static final ConfigOption<String> LABELS = ConfigOptions.key("labels")
            .stringType().noDefaultValue()
            .withDescription("Ground-truth labels: file:PATH or kafka://HOST:PORT/TOPIC; absent = no realised performance. "
                    + "fit: the labels of the reference events (a file), for reference performance and score calibration.");
    public static final ConfigOption<String> ALERTS = ConfigOptions.key("alerts")
            .stringType().defaultValue("stdout")
            .withDescription("Alert sink: file:PATH, kafka://HOST:PORT/TOPIC (exactly-once) or stdout.");
    public static final ConfigOption<String> REPORTS = ConfigOptions.key("reports")
            .stringType().noDefaultValue()
            .withDescription("Report sink (one record per model per window): file:PATH, kafka://HOST:PORT/TOPIC or stdout.");
    public static final ConfigOption<String> DEAD_LETTERS = ConfigOptions.key("dead-letters")
            .stringType().noDefaultValue()
            .withDescription("Dead-letter sink for records that fail parsing or validation: file:PATH, kafka://... or stdout.");
    public static final ConfigOption<Integer> MAX_RECORD_BYTES = ConfigOptions.key("max-record-bytes")
            .intType().defaultValue(8 * 1024 * 1024)
            .withDescription("Records longer than this many characters go to the dead letters.");

    // ---- event time and windows --------------------------------------------------------------

    public static final ConfigOption<Duration> WINDOW_SIZE = ConfigOptions.key("window-size")
            .durationType().defaultValue(Duration.ofHours(1))
            .withDescription("Event-time window length, e.g. 1h, 5m.");
    public static final ConfigOption<Duration> WINDOW_SLIDE = ConfigOptions.key("window-slide")
            .durationType().noDefaultValue()
            .withDescription("Slide of sliding windows; absent = tumbling windows.");
    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = ConfigOptions.key("max-out-of-orderness")
            .durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("Watermark bound: how far out of order events may arrive.");
    public static final ConfigOption<Duration> SOURCE_IDLENESS = ConfigOptions.key("source-idleness")
            .durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("A source partition without events for this long stops holding back the watermark.");
    public static final ConfigOption<Duration> ALLOWED_LATENESS = ConfigOptions.key("allowed-lateness")
            .durationType().defaultValue(Duration.ZERO)
            .withDescription("Late events within this still update their window (a new report revision); later ones are counted as late.");
    public static final ConfigOption<Integer> MIN_WINDOW_COUNT = ConfigOptions.key("min-window-count")
            .intType().defaultValue(30)
            .withDescription("Windows with fewer events are reported with insufficient=true and no test.");
    public static final ConfigOption<Integer> MAX_WINDOW_SAMPLE = ConfigOptions.key("max-window-sample")
            .intType().defaultValue(1000)
            .withDescription("At most this many embeddings per window enter the MMD test (seeded reservoir sample).");

    // ---- statistics ----------------------------------------------------------------------------

    public static final ConfigOption<Double> P_VALUE = ConfigOptions.key("p-value")
            .doubleType().defaultValue(0.05)
            .withDescription("Significance level of every test.");
    public static final ConfigOption<Integer> PERMUTATIONS = ConfigOptions.key("permutations")
            .intType().defaultValue(1000)
            .withDescription("Permutations of the MMD test (or bootstrap draws of its calibrated null).");
    public static final ConfigOption<MmdNull> MMD_NULL = ConfigOptions.key("mmd-null")
            .enumType(MmdNull.class).defaultValue(MmdNull.CALIBRATED)
            .withDescription("How the MMD p-value is computed: 'calibrated' (null distribution bootstrapped once per reference "
                    + "and window size: fast) or 'permutation' (permute every window: exact, slower).");
    public static final ConfigOption<Long> SEED = ConfigOptions.key("seed")
            .longType().defaultValue(42L)
            .withDescription("Seed of every randomised step; the same inputs and seed give the same reports.");
    public static final ConfigOption<Double> SIGMA = ConfigOptions.key("sigma")
            .doubleType().noDefaultValue()
            .withDescription("Gaussian kernel bandwidth of the MMD; absent = median heuristic on the reference.");

    // ---- labels ---------------------------------------------------------------------------------

    public static final ConfigOption<Duration> LABEL_TIMEOUT = ConfigOptions.key("label-timeout")
            .durationType().defaultValue(Duration.ofDays(7))
            .withDescription("How long (event time) a prediction waits for its label before it counts as unlabelled.");
    public static final ConfigOption<Duration> STATE_RETENTION = ConfigOptions.key("state-retention")
            .durationType().noDefaultValue()
            .withDescription("How long (event time) after a window's end its state is kept, and how long an open alert "
                    + "waits for a later window to decide it: an alert no window decided within this (a model gone silent, "
                    + "labels that stopped) resolves as expired. Absent = max(label-timeout, allowed-lateness) + window-size, "
                    + "the least allowed.");

    public static final ConfigOption<Integer> MIN_LABELLED = ConfigOptions.key("min-labelled")
            .intType().defaultValue(30)
            .withDescription("A window's realised performance is tested against the reference only once this many of its "
                    + "predictions have labels.");
    public static final ConfigOption<Double> DATA_QUALITY_MAX_RATE = ConfigOptions.key("data-quality-max-rate")
            .doubleType().defaultValue(0.1)
            .withDescription("data.quality alerts when more than this share of a window's events lack a prediction or scores "
                    + "the reference had, or have a feature outside the reference range.");

    // ---- Kafka ----------------------------------------------------------------------------------

    public static final ConfigOption<StartingOffsets> STARTING_OFFSETS = ConfigOptions.key("starting-offsets")
            .enumType(StartingOffsets.class).defaultValue(StartingOffsets.COMMITTED)
            .withDescription("Kafka sources: earliest, latest, or committed (a new consumer group starts at earliest).");
    public static final ConfigOption<String> GROUP_ID = ConfigOptions.key("group-id")
            .stringType().defaultValue("model-monitor")
            .withDescription("Kafka consumer group of the job.");

    // ---- encoder --------------------------------------------------------------------------------

    public static final ConfigOption<String> ENCODER = ConfigOptions.key("encoder")
            .stringType().noDefaultValue()
            .withDescription("run: overrides the bundle's encoder location (an ONNX file; tokenizer.json beside it for text). "
                    + "fit: the encoder to fit with: for text a sentence-transformers ONNX file (default all-MiniLM-L6-v2); "
                    + "for images random-conv (default), conv-autoencoder (trained on the reference), or a pretrained ONNX image model file.");
    public static final ConfigOption<Device> DEVICE = ConfigOptions.key("device")
            .enumType(Device.class).defaultValue(Device.CPU)
            .withDescription("Where the encoder runs: cpu or gpu (gpu needs the -Pgpu build and CUDA 12 + cuDNN 9).");
    public static final ConfigOption<Integer> ENCODER_THREADS = ConfigOptions.key("encoder-threads")
            .intType().defaultValue(0)
            .withDescription("ONNX Runtime intra-op threads of the encoder session (one per TaskManager, shared by its subtasks); 0 = one per available processor.");
    public static final ConfigOption<Integer> BATCH_SIZE = ConfigOptions.key("batch-size")
            .intType().defaultValue(512)
            .withDescription("Events buffered and embedded together in one encoder call; the text encoder sorts them by length and runs the model on 32 at a time, so a larger buffer pads less (mixed-length text: 12 % padding at 256, 6 % at 512).");
    public static final ConfigOption<Duration> BATCH_TIMEOUT = ConfigOptions.key("batch-timeout")
            .durationType().defaultValue(Duration.ofMillis(200))
            .withDescription("A partial embedding batch is flushed after this much processing time.");

    // ---- execution ------------------------------------------------------------------------------

    public static final ConfigOption<Integer> PARALLELISM = ConfigOptions.key("parallelism")
            .intType().defaultValue(1)
            .withDescription("Flink parallelism of the job.");
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = ConfigOptions.key("checkpoint-interval")
            .durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("Checkpoint interval; 0 disables checkpoints (and exactly-once Kafka output).");
    public static final ConfigOption<String> CHECKPOINT_DIR = ConfigOptions.key("checkpoint-dir")
            .stringType().noDefaultValue()
            .withDescription("Checkpoint storage URI, e.g. file:///var/checkpoints; absent = JobManager memory.");
    public static final ConfigOption<String> SAVEPOINT = ConfigOptions.key("savepoint")
            .stringType().noDefaultValue()
            .withDescription("Restore the job from this savepoint or retained checkpoint path.");
    public static final ConfigOption<StateBackend> STATE_BACKEND = ConfigOptions.key("state-backend")
            .enumType(StateBackend.class).defaultValue(StateBackend.HASHMAP)
            .withDescription("Keyed state backend: hashmap (heap) or rocksdb (large state).");
    public static final ConfigOption<String> CLUSTER = ConfigOptions.key("cluster")
            .stringType().noDefaultValue()
            .withDescription("Submit to a running Flink session cluster at HOST:PORT (REST port) instead of running embedded.");
    public static final ConfigOption<Boolean> WEB_UI = ConfigOptions.key("web-ui")
            .booleanType().defaultValue(false)
            .withDescription("Embedded runs: serve the Flink web UI (port from --web-port).");
    public static final ConfigOption<Integer> WEB_PORT = ConfigOptions.key("web-port")
            .intType().defaultValue(8081)
            .withDescription("Port of the embedded Flink web UI.");
    public static final ConfigOption<Integer> METRICS_PORT = ConfigOptions.key("metrics-port")
            .intType().noDefaultValue()
            .withDescription("Embedded runs: expose Flink metrics for Prometheus on this port; absent = off.");

    // ---- fit, drift, report, demo, bench -----------------------------------------------------

    public static final ConfigOption<String> REFERENCE = ConfigOptions.key("reference")
            .stringType().noDefaultValue()
            .withDescription("Reference events, JSON lines (same schema as the events).");
    public static final ConfigOption<String> CURRENT = ConfigOptions.key("current")
            .stringType().noDefaultValue()
            .withDescription("drift: the current sample, JSON lines.");
    public static final ConfigOption<String> OUT = ConfigOptions.key("out")
            .stringType().noDefaultValue()
            .withDescription("Output directory (fit: the bundle; demo: all outputs) or file (report: the HTML page).");
    public static final ConfigOption<DriftTest> TEST = ConfigOptions.key("test")
            .enumType(DriftTest.class).defaultValue(DriftTest.MMD)
            .withDescription("drift: the multivariate test: mmd (exact kernel MMD) or rff (random Fourier feature approximation).");
    public static final ConfigOption<Integer> PCA_COMPONENTS = ConfigOptions.key("pca-components")
            .intType().defaultValue(32)
            .withDescription("fit: dimensions kept by PCA of the embeddings (text and images).");
    public static final ConfigOption<Integer> MAX_REFERENCE = ConfigOptions.key("max-reference")
            .intType().defaultValue(2000)
            .withDescription("fit: size of the seeded reference subsample kept for the MMD test.");
    public static final ConfigOption<Integer> IMAGE_EPOCHS = ConfigOptions.key("image-epochs")
            .intType().defaultValue(15)
            .withDescription("fit (images, --encoder conv-autoencoder): training epochs of the convolutional "
                    + "autoencoder over the reference images.");
    public static final ConfigOption<Integer> IMAGE_SIZE = ConfigOptions.key("image-size")
            .intType().defaultValue(224)
            .withDescription("fit with --encoder MODEL.onnx (images): side in pixels of the square input the model expects.");
    public static final ConfigOption<Integer> IMAGE_CHANNELS = ConfigOptions.key("image-channels")
            .intType().defaultValue(3)
            .withDescription("fit with --encoder MODEL.onnx (images): 3 (RGB) or 1 (grey).");
    public static final ConfigOption<List<Double>> IMAGE_MEAN = ConfigOptions.key("image-mean")
            .doubleType().asList().defaultValues(0.485, 0.456, 0.406)
            .withDescription("fit with --encoder MODEL.onnx (images): per-channel mean subtracted from pixels scaled to [0, 1] "
                    + "(one value per channel, repeat the flag or separate with ';'); default ImageNet's.");
    public static final ConfigOption<List<Double>> IMAGE_STD = ConfigOptions.key("image-std")
            .doubleType().asList().defaultValues(0.229, 0.224, 0.225)
            .withDescription("fit with --encoder MODEL.onnx (images): per-channel standard deviation the pixels are divided by; default ImageNet's.");
    public static final ConfigOption<String> IMAGE_INPUT = ConfigOptions.key("image-input")
            .stringType().noDefaultValue()
            .withDescription("fit with --encoder MODEL.onnx (images): name of the model's NCHW float input; absent = its first input.");
    public static final ConfigOption<String> IMAGE_OUTPUT = ConfigOptions.key("image-output")
            .stringType().noDefaultValue()
            .withDescription("fit with --encoder MODEL.onnx (images): name of the output used as the embedding (flattened per image); "
                    + "absent = its first output.");
    public static final ConfigOption<List<String>> BENCH_SUITES = ConfigOptions.key("suites")
            .stringType().asList().defaultValues("mmd", "encoder", "pipeline")
            .withDescription("bench: which measurements to run: mmd, encoder, pipeline (repeatable).");

    /** How the MMD test's null distribution is obtained. */
    public enum MmdNull { CALIBRATED, PERMUTATION }

    /** Where Kafka sources start reading. */
    public enum StartingOffsets { EARLIEST, LATEST, COMMITTED }

    /** Where the encoder runs. */
    public enum Device { CPU, GPU }

    /** Keyed state backend. */
    public enum StateBackend { HASHMAP, ROCKSDB }

    /** Multivariate test of {@code ./monitor drift}. */
    public enum DriftTest { MMD, RFF }

    /** Every option declared above, in declaration order. */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> out = new ArrayList<>();
        for (Field f : MonitorOptions.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                try {
                    out.add((ConfigOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Checks ranges and combinations that types alone cannot express.
     *
     * @throws IllegalArgumentException with a one-line message naming the flag
     */
    public static void validate(ReadableConfig conf) {
        double alpha = conf.get(P_VALUE);
        require(alpha > 0 && alpha < 1, "--p-value must be in (0, 1), got " + alpha);
        require(conf.get(PERMUTATIONS) >= 1, "--permutations must be at least 1");
        require(conf.get(MIN_WINDOW_COUNT) >= 2, "--min-window-count must be at least 2");
        require(conf.get(MAX_WINDOW_SAMPLE) >= 2, "--max-window-sample must be at least 2");
        require(positive(conf.get(WINDOW_SIZE)), "--window-size must be positive");
        conf.getOptional(WINDOW_SLIDE).ifPresent(slide -> {
            require(positive(slide), "--window-slide must be positive");
            require(slide.compareTo(conf.get(WINDOW_SIZE)) <= 0, "--window-slide must not exceed --window-size");
        });
        require(!conf.get(MAX_OUT_OF_ORDERNESS).isNegative(), "--max-out-of-orderness must not be negative");
        require(!conf.get(ALLOWED_LATENESS).isNegative(), "--allowed-lateness must not be negative");
        require(positive(conf.get(LABEL_TIMEOUT)), "--label-timeout must be positive");
        conf.getOptional(STATE_RETENTION).ifPresent(r -> require(r.compareTo(minStateRetention(conf)) >= 0,
                "--state-retention must be at least max(--label-timeout, --allowed-lateness) + --window-size = "
                        + TimeUtils.formatWithHighestUnit(minStateRetention(conf)) + ", got " + TimeUtils.formatWithHighestUnit(r)));
        require(!conf.get(CHECKPOINT_INTERVAL).isNegative(), "--checkpoint-interval must not be negative");
        require(conf.get(MIN_LABELLED) >= 1, "--min-labelled must be at least 1");
        double dq = conf.get(DATA_QUALITY_MAX_RATE);
        require(dq >= 0 && dq < 1, "--data-quality-max-rate must be in [0, 1), got " + dq);
        require(conf.get(PARALLELISM) >= 1, "--parallelism must be at least 1");
        require(conf.get(BATCH_SIZE) >= 1, "--batch-size must be at least 1");
        require(conf.get(ENCODER_THREADS) >= 0, "--encoder-threads must be at least 0 (0 = one per processor)");
        require(conf.get(MAX_RECORD_BYTES) >= 256, "--max-record-bytes must be at least 256");
        require(conf.get(PCA_COMPONENTS) >= 1, "--pca-components must be at least 1");
        require(conf.get(MAX_REFERENCE) >= 10, "--max-reference must be at least 10");
        require(conf.get(IMAGE_EPOCHS) >= 1, "--image-epochs must be at least 1");
        require(conf.get(IMAGE_SIZE) >= 8 && conf.get(IMAGE_SIZE) <= 4096, "--image-size must be between 8 and 4096");
        require(conf.get(IMAGE_CHANNELS) == 1 || conf.get(IMAGE_CHANNELS) == 3, "--image-channels must be 1 or 3");
        require(conf.get(IMAGE_MEAN).size() == conf.get(IMAGE_CHANNELS),
                "--image-mean needs one value per channel (" + conf.get(IMAGE_CHANNELS) + "), got " + conf.get(IMAGE_MEAN));
        require(conf.get(IMAGE_STD).size() == conf.get(IMAGE_CHANNELS),
                "--image-std needs one value per channel (" + conf.get(IMAGE_CHANNELS) + "), got " + conf.get(IMAGE_STD));
        require(conf.get(IMAGE_STD).stream().allMatch(v -> v > 0 && Double.isFinite(v)), "--image-std values must be positive");
        conf.getOptional(SIGMA).ifPresent(s -> require(s > 0 && Double.isFinite(s), "--sigma must be a positive number"));
        conf.getOptional(METRICS_PORT).ifPresent(p -> require(p > 0 && p < 65536, "--metrics-port must be a TCP port"));
    }

    /** How long a window can still change after its end (late events, then late labels), plus one window: the least --state-retention. */
    public static Duration minStateRetention(ReadableConfig conf) {
        Duration wait = conf.get(LABEL_TIMEOUT).compareTo(conf.get(ALLOWED_LATENESS)) >= 0
                ? conf.get(LABEL_TIMEOUT) : conf.get(ALLOWED_LATENESS);
        return wait.plus(conf.get(WINDOW_SIZE));
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
