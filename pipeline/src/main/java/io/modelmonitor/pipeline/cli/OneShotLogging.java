package io.modelmonitor.pipeline.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Logging for the commands that run no Flink job ({@code drift}, {@code fit}, {@code report}):
 * log4j's simple logger from log4j-api instead of log4j-core.
 *
 * <p>Nothing in these commands needs log4j-core's appenders or filters, yet Flink's {@code
 * Configuration}, which holds every parsed flag, asks SLF4J for a logger, and initialising
 * log4j-core (some 570 classes and its plugin registry) took 0.35 s of a 0.8 s {@code drift} on a
 * three-row input. The simple logger takes the same levels from the same properties file ({@code
 * -Dlog4j2.configurationFile}, which the launcher passes): the root level, and each named logger's
 * level for that exact logger name (the simple logger has no hierarchy, which the named loggers of
 * the launcher's file do not need: they name classes, or packages whose classes run only in jobs).
 * It writes to standard error, as the launcher's console appender does.
 *
 * <p>It must run before anything asks SLF4J for a logger, so {@link Main#main} calls it first; a
 * {@code log4j2.loggerContextFactory} chosen by the user is left alone.
 */
final class OneShotLogging {
    static final String LOG4J_CONFIGURATION = "log4j2.configurationFile";
    static final String CONTEXT_FACTORY = "log4j2.loggerContextFactory";
    static final String SIMPLE_FACTORY =
            "org.apache.logging.log4j.simple.SimpleLoggerContextFactory";
    static final String SIMPLE_PREFIX = "org.apache.logging.log4j.simplelog.";

    private OneShotLogging() {}

    /** Selects the simple logger with the levels of {@code log4jProperties} (may be null). */
    static void install(String log4jProperties) {
        if (System.getProperty(CONTEXT_FACTORY) != null) {
            return;
        }
        Map<String, String> settings = new LinkedHashMap<>();
        if (log4jProperties != null) {
            try (Reader r =
                    Files.newBufferedReader(Path.of(log4jProperties), StandardCharsets.UTF_8)) {
                Properties p = new Properties();
                p.load(r);
                settings.putAll(simpleLoggerSettings(p));
            } catch (IOException | RuntimeException e) {
                // An unreadable file leaves the simple logger's own default level (ERROR).
            }
        }
        settings.putIfAbsent(SIMPLE_PREFIX + "logFile", "system.err");
        settings.forEach(System::setProperty);
        System.setProperty(CONTEXT_FACTORY, SIMPLE_FACTORY);
    }

    /** The simple logger's system properties for a log4j2 properties configuration. */
    static Map<String, String> simpleLoggerSettings(Properties log4j) {
        Map<String, String> out = new LinkedHashMap<>();
        String root = log4j.getProperty("rootLogger.level");
        if (root != null) {
            out.put(SIMPLE_PREFIX + "level", root.trim());
        }
        for (String key : log4j.stringPropertyNames()) {
            if (key.startsWith("logger.") && key.endsWith(".name")) {
                String id = key.substring(0, key.length() - ".name".length());
                String level = log4j.getProperty(id + ".level");
                if (level != null) {
                    out.put(SIMPLE_PREFIX + log4j.getProperty(key).trim() + ".level", level.trim());
                }
            }
        }
        return out;
    }
}
