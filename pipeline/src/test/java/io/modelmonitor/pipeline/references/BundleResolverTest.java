package io.modelmonitor.pipeline.references;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.models.Device;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.cli.Main;
import io.modelmonitor.pipeline.embed.EncoderLoader;
import io.modelmonitor.pipeline.job.ReferenceBundles;
import io.modelmonitor.pipeline.testutil.JsonLines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job carries a start-up bundle that has a directory as its id and directory only: what an
 * operator's configuration holds stays small however large the bundle, and the operator gets the
 * same reference back.
 */
class BundleResolverTest {
    @TempDir Path dir;

    @Test
    void bundlesWithADirectoryTravelAsTheirDirectory() throws Exception {
        SplittableRandom rnd = new SplittableRandom(3);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            StringBuilder f = new StringBuilder();
            for (int j = 0; j < 16; j++) {
                f.append(j == 0 ? "" : ",")
                        .append(String.format(Locale.ROOT, "%.4f", rnd.nextGaussian()));
            }
            lines.add("{\"id\":\"r" + i + "\",\"ts\":" + i + ",\"features\":[" + f + "]}");
        }
        Path reference = JsonLines.write(dir.resolve("reference.jsonl"), lines);
        Path bundle = dir.resolve("bundle");
        int status =
                Main.execute(
                        new String[] {
                            "fit", "--reference", reference.toString(), "--out", bundle.toString()
                        },
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, status);
        BundleLoader loader = ReferenceBundles.loader(null, new EncoderLoader(1, Device.CPU));
        ModelReference ref =
                ReferenceBundles.load("m", bundle, null, new EncoderLoader(1, Device.CPU));
        String id = Bundles.id("m", bundle);

        byte[] whole = InstantiationUtil.serializeObject(BundleResolver.of(Map.of("m", ref)));
        BundleResolver byDir =
                new BundleResolver(
                        Map.of("m", ref), Map.of("m", id), Map.of("m", bundle.toString()), loader);
        byte[] shipped = InstantiationUtil.serializeObject(byDir);
        assertTrue(whole.length > 100_000, "the reference itself is large: " + whole.length);
        assertTrue(shipped.length < 5_000, "only its id and directory travel: " + shipped.length);

        BundleResolver restored =
                InstantiationUtil.deserializeObject(shipped, getClass().getClassLoader());
        assertEquals(Map.of("m", id), Map.of("m", restored.startupId("m")));
        ModelReference back = restored.reference("m", null, null);
        assertArrayEquals(ref.reference()[7], back.reference()[7]);
        assertEquals(ref.inputDimension(), back.inputDimension());
    }
}
