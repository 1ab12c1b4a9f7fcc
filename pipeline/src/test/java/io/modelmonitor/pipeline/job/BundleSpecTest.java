package io.modelmonitor.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.pipeline.job.ReferenceBundles.BundleSpec;
import io.modelmonitor.pipeline.options.ConfigurationException;
import io.modelmonitor.pipeline.record.EventParser;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The {@code --bundle [MODEL=]DIR} value as {@code run} and {@code drift} both read it. */
class BundleSpecTest {
    @Test
    void directoryAloneServesTheDefaultModel() {
        assertEquals(
                new BundleSpec(EventParser.DEFAULT_MODEL, Path.of("/bundles/fraud")),
                BundleSpec.parse("/bundles/fraud"));
    }

    @Test
    void modelIsWhatPrecedesTheFirstEquals() {
        assertEquals(
                new BundleSpec("fraud", Path.of("/bundles/fraud")),
                BundleSpec.parse("fraud=/bundles/fraud"));
        assertEquals(
                new BundleSpec("fraud", Path.of("/runs/day=3")),
                BundleSpec.parse("fraud=/runs/day=3"));
    }

    @Test
    void emptyModelOrDirectoryIsRefused() {
        ConfigurationException noModel =
                assertThrows(
                        ConfigurationException.class, () -> BundleSpec.parse("=/bundles/fraud"));
        assertTrue(noModel.getMessage().contains("no model name"), noModel.getMessage());
        ConfigurationException noDir =
                assertThrows(ConfigurationException.class, () -> BundleSpec.parse("fraud="));
        assertTrue(noDir.getMessage().contains("no directory"), noDir.getMessage());
    }
}
