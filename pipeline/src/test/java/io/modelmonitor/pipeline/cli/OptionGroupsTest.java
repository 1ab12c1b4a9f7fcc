package io.modelmonitor.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelmonitor.pipeline.options.BenchOptions;
import io.modelmonitor.pipeline.options.DemoOptions;
import io.modelmonitor.pipeline.options.DriftOptions;
import io.modelmonitor.pipeline.options.FitOptions;
import io.modelmonitor.pipeline.options.MonitorOptions;
import io.modelmonitor.pipeline.options.RunOptions;
import io.modelmonitor.pipeline.options.SharedOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/**
 * Options are declared with the command that accepts them, so a reader of one command's class sees
 * all its own flags: an option one command accepts lives in that command's class, one that several
 * accept in SharedOptions.
 */
class OptionGroupsTest {
    private static final List<Class<?>> HOLDERS =
            List.of(
                    SharedOptions.class,
                    FitOptions.class,
                    RunOptions.class,
                    DriftOptions.class,
                    BenchOptions.class,
                    DemoOptions.class);

    @Test
    void eachOptionIsDeclaredWithTheCommandsThatAcceptIt() {
        Map<Class<?>, String> owner =
                Map.of(
                        FitOptions.class,
                        "fit",
                        RunOptions.class,
                        "run",
                        DriftOptions.class,
                        "drift",
                        BenchOptions.class,
                        "bench",
                        DemoOptions.class,
                        "demo");
        List<String> misplaced = new ArrayList<>();
        for (Class<?> holder : HOLDERS) {
            for (ConfigOption<?> o : MonitorOptions.declaredIn(holder)) {
                List<String> users =
                        Main.commands().values().stream()
                                .filter(c -> c.options().contains(o))
                                .map(Command::name)
                                .toList();
                boolean ok =
                        holder == SharedOptions.class
                                ? users.size() >= 2
                                : users.equals(List.of(owner.get(holder)));
                if (!ok) {
                    misplaced.add(
                            "--"
                                    + o.key()
                                    + " in "
                                    + holder.getSimpleName()
                                    + " is accepted by "
                                    + users);
                }
            }
        }
        assertEquals(List.of(), misplaced);
        assertEquals(
                MonitorOptions.all().size(),
                HOLDERS.stream().mapToInt(h -> MonitorOptions.declaredIn(h).size()).sum());
    }

    @Test
    void flagsThatWereNeverCheckedStopTheCommandWithExitTwo() {
        for (String[] flag :
                List.of(
                        new String[] {"--web-port", "99999"},
                        new String[] {"--batch-timeout", "0ms"},
                        new String[] {"--source-idleness", "-5s"})) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status =
                    Main.execute(
                            new String[] {
                                "run",
                                "--bundle",
                                "nowhere",
                                "--events",
                                "file:nowhere.jsonl",
                                flag[0],
                                flag[1]
                            },
                            new PrintStream(new ByteArrayOutputStream()),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
            String message = err.toString(StandardCharsets.UTF_8);
            assertEquals(2, status, message);
            assertEquals(1, message.strip().lines().count(), message);
            assertEquals(
                    true,
                    message.startsWith("monitor run: ") && message.contains(flag[0]),
                    message);
        }
    }
}
