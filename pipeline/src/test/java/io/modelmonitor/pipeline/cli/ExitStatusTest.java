package io.modelmonitor.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.modelmonitor.pipeline.options.ConfigurationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration errors thrown below the CLI end as exit status 2 with their own one-line message.
 */
class ExitStatusTest {
    @TempDir Path dir;

    @Test
    void aConfigurationErrorFromALowerLayerExitsTwoWithItsMessage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path missing = dir.resolve("current.jsonl");
        int status =
                Main.execute(
                        new String[] {
                            "drift",
                            "--reference",
                            missing.toString(),
                            "--current",
                            missing.toString()
                        },
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertEquals(
                "monitor drift: " + missing + ": no such file",
                err.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void theOutermostConfigurationErrorIsFoundInsideWrappersAndKeepsItsCause() {
        IOException io = new NoSuchFileException("events.jsonl");
        ConfigurationException ours =
                new ConfigurationException("--events file:events.jsonl: no such file", io);
        RuntimeException wrapped =
                new RuntimeException("job failed", new IllegalStateException("task failed", ours));
        assertSame(ours, Main.configurationProblem(wrapped));
        assertSame(io, Main.configurationProblem(wrapped).getCause());
        assertNull(Main.configurationProblem(new IllegalStateException("a bug", io)));
    }
}
