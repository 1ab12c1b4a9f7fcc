package io.modelmonitor.pipeline.references;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
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
        Path bundle = fitBundle();
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

    /**
     * Models served by one bundle directory hold its content once: at start-up (the {@code
     * --bundle} flags) and in the operators (read by id), each with its own model name.
     */
    @Test
    void modelsServedByOneDirectoryShareItsContent() throws Exception {
        Path bundle = fitBundle();
        EncoderLoader encoders = new EncoderLoader(1, Device.CPU);
        Map<String, ModelReference> startup =
                ReferenceBundles.load(
                        List.of("a=" + bundle, "b=" + bundle.resolve(".")), null, encoders);
        assertEquals("a", startup.get("a").model());
        assertEquals("b", startup.get("b").model());
        assertSame(startup.get("a").reference(), startup.get("b").reference());
        assertSame(startup.get("a").referenceFeatures(), startup.get("b").referenceFeatures());

        BundleLoader real = ReferenceBundles.loader(null, encoders);
        java.util.concurrent.atomic.AtomicInteger reads =
                new java.util.concurrent.atomic.AtomicInteger();
        BundleLoader counting =
                (model, d) -> {
                    reads.incrementAndGet();
                    return real.load(model, d);
                };
        ModelReference x = Bundles.reference(Bundles.id("x", bundle), "x", bundle, counting);
        ModelReference y = Bundles.reference(Bundles.id("y", bundle), "y", bundle, counting);
        assertEquals(1, reads.get(), "the second model's bundle is not read again");
        assertEquals("y", y.model());
        assertSame(x.reference(), y.reference());
        assertSame(y, Bundles.loaded(Bundles.id("y", bundle)));
    }

    private Path fitBundle() {
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
        return bundle;
    }
}
