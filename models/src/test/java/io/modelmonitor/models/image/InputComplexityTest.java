package io.modelmonitor.models.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.outlier.OutlierAuc;
import io.modelmonitor.models.Device;
import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.BundleEncoders;
import io.modelmonitor.models.bundle.BundleFitter;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.models.bundle.ReferenceBundle;
import io.modelmonitor.models.bundle.ReferenceData;
import io.modelmonitor.models.synthetic.SyntheticImages;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input complexity as the default image outlier detector: fitted into a bundle, restored from the
 * saved bundle's settings with the same scores, and two-sided (noisier and flatter images both
 * score above clean ones).
 */
class InputComplexityTest {
    @Test
    void defaultImageDetectorRoundTripsAndScoresBothSides(@TempDir Path dir) throws Exception {
        List<byte[]> reference = SyntheticImages.scenes(200, new double[] {1, 1, 1}, 0, 1);
        try (RandomConvEncoder encoder = RandomConvEncoder.builder().optSeed(3).build()) {
            ReferenceBundle bundle =
                    BundleFitter.builder()
                            .setModality(Modality.IMAGE)
                            .optEncoder(encoder)
                            .optPcaComponents(8)
                            .build()
                            .fit(ReferenceData.builder().setImages(reference).build());
            assertEquals("input-complexity", bundle.outlierMethod());
            bundle.save(dir);
            ModelReference ref = ReferenceBundle.load(dir).toModelReference();
            assertEquals(InputComplexity.NAME, ref.outlierModelLocation());
            List<byte[]> clean = SyntheticImages.scenes(50, new double[] {1, 1, 1}, 0, 2);
            List<byte[]> noisy = SyntheticImages.scenes(50, new double[] {1, 1, 1}, 40, 3);
            List<byte[]> flat = SyntheticImages.foreign(50, false, 4);
            @SuppressWarnings("unchecked")
            Encoder<byte[]> restored =
                    (Encoder<byte[]>)
                            BundleEncoders.open(
                                    Modality.IMAGE,
                                    ref.outlierModel(),
                                    ref.outlierModelLocation(),
                                    Device.CPU,
                                    1);
            InputComplexity fitted =
                    InputComplexity.of(bundle.toModelReference().outlierModel().preprocessing());
            assertArrayEquals(fitted.embed(noisy), restored.embed(noisy));
            double cleanMax = max(restored.embed(clean));
            double auc = OutlierAuc.of(first(restored.embed(noisy)), first(restored.embed(clean)));
            assertTrue(auc > 0.9, "noisy vs clean AUC " + auc);
            assertTrue(min(restored.embed(flat)) > cleanMax, "flat colours are far simpler");
            assertTrue(
                    ref.outlierCalibration().isOutlier(min(restored.embed(flat))),
                    "every flat image is above the threshold");
        }
    }

    private static double[] first(float[][] rows) {
        return Arrays.stream(rows).mapToDouble(r -> r[0]).sorted().toArray();
    }

    private static double min(float[][] rows) {
        return first(rows)[0];
    }

    private static double max(float[][] rows) {
        double[] v = first(rows);
        return v[v.length - 1];
    }
}
