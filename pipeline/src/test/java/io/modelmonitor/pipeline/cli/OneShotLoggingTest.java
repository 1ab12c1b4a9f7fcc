package io.modelmonitor.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class OneShotLoggingTest {
    @Test
    void theLaunchersLevelsBecomeTheSimpleLoggersLevels() throws Exception {
        Properties cli = new Properties();
        try (Reader r =
                Files.newBufferedReader(Path.of("src/main/resources/log4j2-cli.properties"))) {
            cli.load(r);
        }
        Map<String, String> settings = OneShotLogging.simpleLoggerSettings(cli);
        assertEquals("WARN", settings.get("org.apache.logging.log4j.simplelog.level"));
        // DJL's CUDA probe warns on every CPU machine; the launcher silences it for every command.
        assertEquals(
                "ERROR",
                settings.get(
                        "org.apache.logging.log4j.simplelog.ai.djl.util.cuda.CudaUtils.level"));
        assertEquals(
                "INFO", settings.get("org.apache.logging.log4j.simplelog.io.modelmonitor.level"));
        assertFalse(
                settings.keySet().stream().anyMatch(k -> k.contains("appender")),
                settings::toString);
    }

    @Test
    void onlyTheJobCommandsKeepLog4jCore() {
        for (Command c : Main.commands().values()) {
            boolean job =
                    c.name().equals("run") || c.name().equals("demo") || c.name().equals("bench");
            assertEquals(job, c.runsFlinkJob(), c.name());
        }
        assertTrue(Main.commands().containsKey("drift"));
    }
}
