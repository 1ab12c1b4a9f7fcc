package io.modelmonitor.pipeline.cli;

import io.modelmonitor.pipeline.options.ConfigurationException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code ./monitor}, of {@code flink run} and of the Kubernetes manifests: the same
 * sub-commands and flags everywhere (docs/architecture.md).
 *
 * <p>Exit status: 0 on success, 2 on bad usage ({@link UsageException}) or configuration ({@link
 * ConfigurationException}), with one line on stderr, 1 on any other failure.
 */
public final class Main {
    private Main() {}

    /** Every sub-command, in the order {@code --help} lists them. */
    public static Map<String, Command> commands() {
        Map<String, Command> m = new LinkedHashMap<>();
        for (Command c :
                List.of(
                        new FitCommand(),
                        new RunCommand(),
                        new DriftCommand(),
                        new DemoCommand(),
                        new ReportCommand(),
                        new BenchCommand())) {
            m.put(c.name(), c);
        }
        return m;
    }

    public static void main(String[] args) {
        Command command = args.length > 0 ? commands().get(args[0]) : null;
        if (command == null || !command.runsFlinkJob()) {
            OneShotLogging.install(System.getProperty(OneShotLogging.LOG4J_CONFIGURATION));
        }
        int status = execute(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs one command line and returns its exit status; never exits the JVM (tests call this). */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        // Before anything touches DJL: it would otherwise try the network at engine start.
        io.modelmonitor.models.runtime.NativeRuntimes.ensureDjlOffline();
        Map<String, Command> commands = commands();
        if (args.length == 0
                || args[0].equals("--help")
                || args[0].equals("-h")
                || args[0].equals("help")) {
            out.print(overview(commands));
            return args.length == 0 ? 2 : 0;
        }
        Command command = commands.get(args[0]);
        if (command == null) {
            err.println(
                    "monitor: unknown command '"
                            + args[0]
                            + "' (commands: "
                            + String.join(", ", commands.keySet())
                            + ")");
            return 2;
        }
        // Error messages may quote a Kafka client exception that quotes a setting: never a secret
        // one.
        Secrets secrets = Secrets.NONE;
        try {
            CommandLine line =
                    CommandLine.parse(command, Arrays.asList(args).subList(1, args.length));
            secrets = Secrets.of(line.kafkaProperties());
            if (line.helpRequested()) {
                out.print(CommandLine.help(command));
                return 0;
            }
            return command.run(line);
        } catch (Exception e) {
            Throwable problem = configurationProblem(e);
            if (problem != null) {
                err.println(
                        secrets.redact("monitor " + command.name() + ": " + problem.getMessage()));
                return 2;
            }
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            err.println(secrets.redact("monitor " + command.name() + ": failed: " + e));
            if (root != e) {
                err.println(secrets.redact("  caused by: " + root));
            }
            return 1;
        }
    }

    /**
     * The outermost usage or configuration error in {@code e}'s cause chain, or null. Flink wraps
     * what a job throws at start-up (a source that cannot open its file) in its own exceptions; the
     * outermost one of ours carries the message written for the user, its causes the details.
     */
    static Throwable configurationProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UsageException || t instanceof ConfigurationException) {
                return t;
            }
        }
        return null;
    }

    static String overview(Map<String, Command> commands) {
        StringBuilder sb =
                new StringBuilder(
                        "usage: monitor <command> [flags]   (monitor <command> --help for its flags)\n\ncommands:\n");
        for (Command c : commands.values()) {
            sb.append(String.format("  %-8s %s%n", c.name(), c.summary()));
        }
        return sb.toString();
    }
}
