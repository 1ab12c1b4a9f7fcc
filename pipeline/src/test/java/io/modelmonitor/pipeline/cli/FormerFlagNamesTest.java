package io.modelmonitor.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.modelmonitor.pipeline.options.SharedOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A renamed flag: --alpha is the significance level's name, and --p-value, its published former
 * name, still works.
 */
class FormerFlagNamesTest {
    private static final List<String> REQUIRED =
            List.of("--bundle", "b", "--events", "file:e.jsonl");

    @Test
    void theFormerNameSetsTheSameOption() {
        assertEquals(0.01, parse("--p-value", "0.01").config().get(SharedOptions.ALPHA));
        assertEquals(0.02, parse("--alpha", "0.02").config().get(SharedOptions.ALPHA));
        assertEquals(0.03, parse("--p-value=0.03").config().get(SharedOptions.ALPHA));
    }

    @Test
    void bothNamesAtOnceAreOneFlagGivenTwice() {
        UsageException e =
                assertThrows(
                        UsageException.class, () -> parse("--alpha", "0.01", "--p-value", "0.02"));
        assertEquals("flag --alpha given more than once", e.getMessage());
    }

    @Test
    void theHelpAndTheReadmeShowTheNewNameAndMentionTheFormerOne() {
        String help = CommandLine.help(new RunCommand());
        assertEquals(true, help.contains("--alpha <a number>  (default: 0.05)"), help);
        assertEquals(true, help.contains("Formerly --p-value"), help);
        assertEquals(
                true, FlagTable.markdown().contains("| `--alpha` | `0.05` | run, drift, report |"));
    }

    private static CommandLine parse(String... flags) {
        List<String> args = new ArrayList<>(REQUIRED);
        args.addAll(List.of(flags));
        return CommandLine.parse(new RunCommand(), args);
    }
}
