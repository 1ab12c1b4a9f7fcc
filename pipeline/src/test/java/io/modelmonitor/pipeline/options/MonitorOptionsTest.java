package io.modelmonitor.pipeline.options;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.modelmonitor.detectors.mmd.NullMode;
import io.modelmonitor.models.Device;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The options' declarations: each flag's check refuses what it should with a message naming the
 * flag.
 */
class MonitorOptionsTest {
    @Test
    void everyKeyIsDeclaredOnceAndTheDefaultsValidate() {
        Set<String> keys = new HashSet<>();
        for (ConfigOption<?> o : MonitorOptions.all()) {
            assertEquals(true, keys.add(o.key()), "--" + o.key() + " declared twice");
        }
        assertEquals(
                62,
                keys.size(),
                "an option was added or lost: update the README table and this count");
        assertDoesNotThrow(() -> MonitorOptions.validate(new Configuration()));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "web-port          | 70000 | --web-port must be a TCP port (1-65535)",
                "web-port          | 0     | --web-port must be a TCP port (1-65535)",
                "batch-timeout     | 0s    | --batch-timeout must be positive",
                "alpha             | 1     | --alpha must be in (0, 1), got 1.0",
                "p-value           | 0     | --alpha must be in (0, 1), got 0.0",
                "label-coverage    | 0     | --label-coverage must be in (0, 1], got 0.0",
                "window-slide      | 2h    | --window-slide must not exceed --window-size",
                "image-channels    | 2     | --image-channels must be 1 or 3",
                "image-size        | 4     | --image-size must be between 8 and 4096",
                "max-record-bytes  | 100   | --max-record-bytes must be at least 256",
                "outlier           | lof   | --outlier must be one of [auto, autoencoder, mahalanobis, knn, conv-reconstruction, input-complexity], got 'lof'",
                "outlier           | conv-reconstruction | --outlier conv-reconstruction needs --encoder conv-autoencoder (images)",
                "suites            | mmd;gpu | --suites has unknown value 'gpu' (mmd, encoder, pipeline, alerts, outliers)",
            })
    void aValueOutsideItsRangeIsRefusedNamingTheFlag(String key, String value, String message) {
        Configuration conf = Configuration.fromMap(Map.of(key, value));
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> MonitorOptions.validate(conf));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aNegativeDurationSetInCodeIsRefused() {
        // Flink's duration syntax has no sign, so only code can set one.
        Configuration conf = new Configuration();
        conf.set(RunOptions.SOURCE_IDLENESS, Duration.ofSeconds(-1));
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> MonitorOptions.validate(conf));
        assertEquals("--source-idleness must not be negative", e.getMessage());
    }

    @Test
    void checksThatDependOnAnotherOptionSeeIt() {
        assertDoesNotThrow(
                () ->
                        MonitorOptions.validate(
                                Configuration.fromMap(
                                        Map.of(
                                                "image-channels",
                                                "1",
                                                "image-mean",
                                                "0.5",
                                                "image-std",
                                                "0.25"))));
        ConfigurationException e =
                assertThrows(
                        ConfigurationException.class,
                        () ->
                                MonitorOptions.validate(
                                        Configuration.fromMap(
                                                Map.of(
                                                        "image-channels",
                                                        "1",
                                                        "image-std",
                                                        "0.25"))));
        assertEquals(
                "--image-mean needs one value per channel (1), got [0.485, 0.456, 0.406]",
                e.getMessage());
    }

    @Test
    void enumOptionsHoldTheDomainTypes() {
        Configuration conf =
                Configuration.fromMap(Map.of("device", "GPU", "mmd-null", "permutation"));
        assertEquals(Device.GPU, conf.get(SharedOptions.DEVICE));
        assertEquals(NullMode.PERMUTATION, conf.get(SharedOptions.MMD_NULL));
        assertEquals(NullMode.CALIBRATED, new Configuration().get(SharedOptions.MMD_NULL));
        JobSettings settings = JobSettings.of("device", "gpu");
        assertEquals(Device.GPU, settings.device);
    }
}
