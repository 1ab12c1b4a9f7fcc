package io.modelmonitor.pipeline.options;

import io.modelmonitor.detectors.mmd.NullMode;
import io.modelmonitor.models.Device;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The tunables the operators of the job need, read once from the validated configuration and
 * shipped with the job graph (a ReadableConfig is not serializable). Durations are milliseconds.
 *
 * <pre>{@code
 * JobSettings s = JobSettings.from(Configuration.fromMap(Map.of("window-size", "5m")));
 * }</pre>
 */
public final class JobSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public final long windowSizeMs;

    /** Equal to the size for tumbling windows. */
    public final long windowSlideMs;

    public final long maxOutOfOrdernessMs;
    public final long sourceIdlenessMs;
    public final long allowedLatenessMs;
    public final int minWindowCount;
    public final int maxWindowSample;

    /** {@code --exemplars}: events named per list in a report (witness exemplars, top outliers). */
    public final int exemplars;

    public final double alpha;
    public final int permutations;
    public final NullMode mmdNull;
    public final long seed;
    public final long labelTimeoutMs;
    public final int batchSize;
    public final long batchTimeoutMs;
    public final int encoderThreads;
    public final Device device;
    public final int maxRecordBytes;
    public final int minLabelled;
    public final double dataQualityMaxRate;
    public final double falseAlarmBudget;
    public final int resolveAfter;
    public final double labelCoverage;

    /** {@code --state-retention}, or its least value when absent. */
    public final long stateRetentionMs;

    private JobSettings(ReadableConfig c) {
        windowSizeMs = c.get(RunOptions.WINDOW_SIZE).toMillis();
        windowSlideMs =
                c.getOptional(RunOptions.WINDOW_SLIDE).map(Duration::toMillis).orElse(windowSizeMs);
        maxOutOfOrdernessMs = c.get(RunOptions.MAX_OUT_OF_ORDERNESS).toMillis();
        sourceIdlenessMs = c.get(RunOptions.SOURCE_IDLENESS).toMillis();
        allowedLatenessMs = c.get(RunOptions.ALLOWED_LATENESS).toMillis();
        minWindowCount = c.get(RunOptions.MIN_WINDOW_COUNT);
        maxWindowSample = c.get(RunOptions.MAX_WINDOW_SAMPLE);
        exemplars = c.get(SharedOptions.EXEMPLARS);
        alpha = c.get(SharedOptions.ALPHA);
        permutations = c.get(SharedOptions.PERMUTATIONS);
        mmdNull = c.get(SharedOptions.MMD_NULL);
        seed = c.get(SharedOptions.SEED);
        labelTimeoutMs = c.get(RunOptions.LABEL_TIMEOUT).toMillis();
        batchSize = c.get(RunOptions.BATCH_SIZE);
        batchTimeoutMs = c.get(RunOptions.BATCH_TIMEOUT).toMillis();
        encoderThreads = c.get(SharedOptions.ENCODER_THREADS);
        device = c.get(SharedOptions.DEVICE);
        maxRecordBytes = c.get(SharedOptions.MAX_RECORD_BYTES);
        minLabelled = c.get(RunOptions.MIN_LABELLED);
        dataQualityMaxRate = c.get(RunOptions.DATA_QUALITY_MAX_RATE);
        falseAlarmBudget = c.get(RunOptions.FALSE_ALARM_BUDGET);
        resolveAfter = c.get(RunOptions.RESOLVE_AFTER);
        labelCoverage = c.get(RunOptions.LABEL_COVERAGE);
        stateRetentionMs =
                c.getOptional(RunOptions.STATE_RETENTION)
                        .orElseGet(() -> RunOptions.minStateRetention(c))
                        .toMillis();
    }

    /** Reads and validates {@code conf}; throws ConfigurationException with a one-line message. */
    public static JobSettings from(ReadableConfig conf) {
        MonitorOptions.validate(conf);
        return new JobSettings(conf);
    }

    /**
     * Defaults overridden by {@code key=value} pairs, for tests: {@code of("window-size", "1m")}.
     */
    public static JobSettings of(String... keyValues) {
        Configuration c = new Configuration();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            c.setString(keyValues[i], keyValues[i + 1]);
        }
        return from(c);
    }

    public boolean sliding() {
        return windowSlideMs != windowSizeMs;
    }

    /**
     * How long after its end a window's state is kept ({@code --state-retention}): at least as long
     * as it can still change (late events, then late labels), plus one window. Also how long an
     * open alert waits for a later window to decide it before it resolves as expired.
     */
    public long windowRetentionMs() {
        return stateRetentionMs;
    }

    /** Start of the latest window containing {@code ts} (windows are aligned to the epoch). */
    public long latestWindowStart(long ts) {
        return ts - Math.floorMod(ts, windowSlideMs);
    }

    /** Starts of every window containing {@code ts}, oldest first. */
    public long[] windowStarts(long ts) {
        long last = latestWindowStart(ts);
        int n = (int) ((windowSizeMs + windowSlideMs - 1) / windowSlideMs);
        java.util.List<Long> out = new java.util.ArrayList<>(n);
        for (long start = last - (long) (n - 1) * windowSlideMs;
                start <= last;
                start += windowSlideMs) {
            if (ts >= start && ts < start + windowSizeMs) {
                out.add(start);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
