import io.modelmonitor.pipeline.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/**
 * One round of numeric-before-after in one JVM: a warm-up run, then a run of the N-event file and
 * one of the 2N-event file through {@code Main.execute("run", ...)}, as the bench does; prints the
 * two durations and the marginal rate. Launched as a single source file against either side's
 * class path, so it uses only what every release has: {@code Main.execute}.
 *
 * <p>Arguments: BUNDLE WARMUP_EVENTS N_EVENTS TWO_N_EVENTS N OUT_DIR
 */
public class MarginalRate {
    public static void main(String[] a) {
        run(a[0], a[1], a[5]);
        double small = run(a[0], a[2], a[5]);
        double large = run(a[0], a[3], a[5]);
        System.out.printf("%6.2f s, %6.2f s  marginal %8.0f events/s%n", small, large, Integer.parseInt(a[4]) / (large - small));
    }

    private static double run(String bundle, String events, String out) {
        long t0 = System.nanoTime();
        int status = Main.execute(
                new String[] {"run", "--bundle", bundle, "--events", "file:" + events,
                    "--alerts", "file:" + out + "/alerts.jsonl", "--reports", "file:" + out + "/reports.jsonl",
                    "--window-size", "1m", "--checkpoint-interval", "0"},
                new PrintStream(new ByteArrayOutputStream()), System.err);
        if (status != 0) {
            throw new IllegalStateException("run failed with status " + status);
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
