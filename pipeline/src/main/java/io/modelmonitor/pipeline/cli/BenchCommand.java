package io.modelmonitor.pipeline.cli;

import static io.modelmonitor.pipeline.options.BenchOptions.BENCH_SUITES;
import static io.modelmonitor.pipeline.options.SharedOptions.SEED;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmonitor.detectors.bench.MmdBench;
import io.modelmonitor.models.bench.EncoderBench;
import io.modelmonitor.models.bench.OutlierBench;
import io.modelmonitor.pipeline.bench.AlertSoak;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;

/**
 * {@code ./monitor bench}: measures the hot paths on this machine and prints one JSON object per
 * figure. Every ratio compares two things measured in the same run.
 */
public final class BenchCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public boolean runsFlinkJob() {
        return true;
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure the hot paths on this machine (one JSON object per figure)";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return CommandLine.ordered(BENCH_SUITES, SEED);
    }

    @Override
    public int run(CommandLine line) throws Exception {
        List<String> suites = line.config().get(BENCH_SUITES);
        if (suites.contains("mmd")) {
            print(MmdBench.run(MmdBench.DEFAULT_CASES, 1, 3));
        }
        if (suites.contains("encoder")) {
            print(EncoderBench.run(EncoderBench.Options.defaults()));
        }
        if (suites.contains("pipeline")) {
            print(PipelineBench.run(line.config().get(SEED)));
        }
        if (suites.contains("outliers")) {
            List<Map<String, Object>> figures = OutlierBench.run(line.config().get(SEED));
            print(figures);
            System.err.println(OutlierBench.table(figures));
        }
        if (suites.contains("alerts")) {
            // 8 clean models over 90 days: 24 model-months, about 4 minutes on 2 cores
            print(
                    AlertSoak.figures(
                            Main::execute,
                            Files.createTempDirectory("monitor-alert-soak"),
                            8,
                            90,
                            line.config().get(SEED)));
        }
        return 0;
    }

    private static void print(List<Map<String, Object>> figures) throws Exception {
        for (Map<String, Object> f : figures) {
            System.out.println(JSON.writeValueAsString(f));
            System.out.flush();
        }
    }
}
