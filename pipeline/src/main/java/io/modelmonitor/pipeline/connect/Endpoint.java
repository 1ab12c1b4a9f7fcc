package io.modelmonitor.pipeline.connect;

import io.modelmonitor.pipeline.options.ConfigurationException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A source or sink URI (docs/data-contracts.md): {@code file:PATH}, {@code
 * kafka://HOST:PORT/TOPIC}, and for sinks {@code stdout}.
 *
 * <pre>{@code
 * Endpoint e = Endpoint.parse("events", "kafka://127.0.0.1:9092/predictions", false);
 * }</pre>
 */
public final class Endpoint {
    /** What an endpoint reads or writes. */
    public enum Kind {
        FILE,
        KAFKA,
        STDOUT
    }

    private static final Pattern KAFKA =
            Pattern.compile(
                    "kafka://([^/\\s]+:\\d{1,5}(?:,[^/\\s]+:\\d{1,5})*)/([A-Za-z0-9._-]{1,249})");

    private final Kind kind;
    private final String uri;
    private final Path path;
    private final String bootstrapServers;
    private final String topic;

    private Endpoint(Kind kind, String uri, Path path, String bootstrapServers, String topic) {
        this.kind = kind;
        this.uri = uri;
        this.path = path;
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
    }

    /**
     * Parses the value of flag {@code --name}.
     *
     * @throws ConfigurationException naming the flag and the accepted forms
     */
    public static Endpoint parse(String name, String uri, boolean sink) {
        String forms =
                sink
                        ? "file:PATH, kafka://HOST:PORT/TOPIC or stdout"
                        : "file:PATH or kafka://HOST:PORT/TOPIC";
        if (uri == null || uri.isBlank()) {
            throw new ConfigurationException("--" + name + " is empty (expected " + forms + ")");
        }
        if (sink && uri.equals("stdout")) {
            return new Endpoint(Kind.STDOUT, uri, null, null, null);
        }
        if (uri.startsWith("file:")) {
            String p = uri.substring("file:".length());
            if (p.startsWith("//")) {
                p = p.substring(2); // file:///abs/path
            }
            if (p.isEmpty()) {
                throw new ConfigurationException(
                        "--" + name + " " + uri + ": missing path after file:");
            }
            return new Endpoint(Kind.FILE, uri, Path.of(p).toAbsolutePath(), null, null);
        }
        if (uri.startsWith("kafka:")) {
            Matcher m = KAFKA.matcher(uri);
            if (!m.matches()) {
                throw new ConfigurationException(
                        "--" + name + " " + uri + ": expected kafka://HOST:PORT/TOPIC");
            }
            return new Endpoint(Kind.KAFKA, uri, null, m.group(1), m.group(2));
        }
        int colon = uri.indexOf(':');
        String scheme = colon > 0 ? "scheme '" + uri.substring(0, colon) + "'" : "no scheme";
        throw new ConfigurationException(
                "--" + name + " " + uri + ": unsupported " + scheme + " (expected " + forms + ")");
    }

    public Kind kind() {
        return kind;
    }

    public Path path() {
        return path;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String topic() {
        return topic;
    }

    @Override
    public String toString() {
        return uri;
    }
}
