package io.modelmonitor.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's flag table must be exactly what MonitorOptions declares. */
class ReadmeFlagTableTest {
    @Test
    void readmeTableMatchesTheOptionsClass() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme);
        int start = text.indexOf(FlagTable.START);
        int end = text.indexOf(FlagTable.END);
        assertTrue(start >= 0 && end > start, "README.md lacks the generated flag table markers");
        String table = text.substring(start + FlagTable.START.length(), end).strip();
        assertEquals(
                FlagTable.markdown().strip(),
                table,
                "README flag table is stale: regenerate it with scripts/update-readme-flags");
    }
}
