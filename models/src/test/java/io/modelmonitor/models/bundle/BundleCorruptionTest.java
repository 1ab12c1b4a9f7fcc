package io.modelmonitor.models.bundle;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.models.Modality;
import io.modelmonitor.models.numeric.NumericEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a bundle can be wrong gives a one-line BundleException naming it. */
class BundleCorruptionTest {

    @TempDir static Path root;
    static Path good;

    @BeforeAll
    static void fit() throws Exception {
        good = root.resolve("good");
        BundleFitter.builder()
                .setModality(Modality.NUMERIC)
                .optPcaComponents(3)
                .optAutoencoderEpochs(2)
                .build()
                .fit(BundleRoundTripTest.numericData(60, 3))
                .save(good);
    }

    static Path copy(String name) throws IOException {
        Path dir = root.resolve(name);
        Files.createDirectories(dir);
        try (var files = Files.list(good)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    static String failure(Path dir) {
        BundleException e = assertThrows(BundleException.class, () -> ReferenceBundle.load(dir));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    static void editManifest(Path dir, String from, String to) throws IOException {
        Path manifest = dir.resolve(BundleFiles.MANIFEST);
        String text = Files.readString(manifest);
        assertTrue(text.contains(from), from);
        Files.writeString(manifest, text.replace(from, to));
    }

    @Test
    void goodBundleLoads() throws Exception {
        ReferenceBundle.load(good, new NumericEncoder(BundleRoundTripTest.D).identity());
    }

    @Test
    void missingFile() throws Exception {
        Path dir = copy("missing");
        Files.delete(dir.resolve(BundleFiles.REFERENCE));
        String m = failure(dir);
        assertTrue(m.startsWith("missing file reference.npy"), m);
    }

    @Test
    void missingManifest() throws Exception {
        Path dir = copy("no-manifest");
        Files.delete(dir.resolve(BundleFiles.MANIFEST));
        assertTrue(failure(dir).startsWith("missing file manifest.json"));
    }

    @Test
    void checksumMismatch() throws Exception {
        Path dir = copy("tampered");
        byte[] bytes = Files.readAllBytes(dir.resolve(BundleFiles.PCA_MEAN));
        bytes[bytes.length - 1] ^= 1;
        Files.write(dir.resolve(BundleFiles.PCA_MEAN), bytes);
        String m = failure(dir);
        assertTrue(m.startsWith("checksum mismatch for pca_mean.npy"), m);
    }

    @Test
    void encoderMismatch() {
        BundleException e =
                assertThrows(
                        BundleException.class,
                        () ->
                                ReferenceBundle.load(
                                        good,
                                        new NumericEncoder(BundleRoundTripTest.D + 1).identity()));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "encoder mismatch: bundle was fitted with numeric-identity@sha256:"),
                e.getMessage());
    }

    @Test
    void newerFormatVersion() throws Exception {
        Path dir = copy("newer");
        editManifest(dir, "\"format_version\" : 1", "\"format_version\" : 7");
        String m = failure(dir);
        assertTrue(m.contains("format version 7, newer than the supported 1"), m);
    }

    @Test
    void malformedJson() throws Exception {
        Path dir = copy("bad-json");
        editManifest(dir, "\"modality\" : \"numeric\",", "\"modality\" : numeric,");
        assertTrue(failure(dir).startsWith("malformed manifest"));
    }

    @Test
    void missingField() throws Exception {
        Path dir = copy("no-sigma");
        editManifest(dir, "\"sigma\" :", "\"sigma_x\" :");
        String m = failure(dir);
        assertTrue(m.contains("missing field 'mmd.sigma'"), m);
    }

    @Test
    void unknownModality() throws Exception {
        Path dir = copy("audio");
        editManifest(dir, "\"modality\" : \"numeric\"", "\"modality\" : \"audio\"");
        String m = failure(dir);
        assertTrue(m.contains("modality must be text, image or numeric"), m);
    }
}
