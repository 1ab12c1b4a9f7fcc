package io.modelmonitor.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image figure runs the job and the bundle's encoder and reports both; speed is not asserted.
 */
class PipelineBenchTest {

    @Test
    void imageFigureReportsTheJobAndTheBareEncoderOnTheSameImages(@TempDir Path dir)
            throws Exception {
        Map<String, Object> f = PipelineBench.image(dir, 3, "pipeline.image", 100);
        assertEquals("pipeline.image", f.get("name"));
        assertEquals(List.of(100, 200), f.get("events"));
        assertEquals(512, f.get("batch"));
        // Three rounds each of the job, the bare encoder and the model alone.
        @SuppressWarnings("unchecked")
        List<List<Double>> rounds = (List<List<Double>>) f.get("rounds");
        assertEquals(3, rounds.size());
        for (List<Double> r : rounds) {
            assertEquals(3, r.size());
        }
        double bare = ((Number) f.get("bare_encoder")).doubleValue();
        double model = ((Number) f.get("bare_model")).doubleValue();
        assertTrue(bare > 0 && model > 0, f.toString());
        // The job's rate is the median of its rounds.
        List<Double> job = rounds.get(0).stream().sorted().toList();
        assertEquals(job.get(1), ((Number) f.get("value")).doubleValue(), 1e-9, f.toString());
        // The job wrote one report per simulated minute of its last, 200-event run.
        assertEquals(2, java.nio.file.Files.readAllLines(dir.resolve("reports-200.jsonl")).size());
    }
}
