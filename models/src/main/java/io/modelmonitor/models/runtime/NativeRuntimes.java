package io.modelmonitor.models.runtime;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.modelmonitor.models.Device;

/**
 * The one place that prepares DJL and ONNX Runtime in this JVM, in the order they need:
 *
 * <ol>
 *   <li>DJL offline mode ({@code ai.djl.offline=true}) before the first DJL call, because DJL
 *       otherwise makes network calls at engine start and at tokenizer creation, and this project
 *       never downloads at run time;
 *   <li>DJL's ONNX Runtime engine before any raw {@link OrtEnvironment}: DJL creates the global
 *       environment with its own threading options and fails ("Tried to specify the thread pool")
 *       when a raw environment exists first;
 *   <li>the shared {@link OrtEnvironment}.
 * </ol>
 *
 * <pre>{@code
 * try (OrtSession.SessionOptions options = NativeRuntimes.sessionOptions(1, Device.CPU);
 *      OrtSession session = NativeRuntimes.environment().createSession(path, options)) { ... }
 * }</pre>
 */
public final class NativeRuntimes {

    private static OrtEnvironment environment;

    private NativeRuntimes() {}

    /** Forces DJL offline; call before any DJL class is used. Idempotent. */
    public static void ensureDjlOffline() {
        System.setProperty("ai.djl.offline", "true");
    }

    /** The process-wide ONNX Runtime environment, created after DJL's engine. */
    public static synchronized OrtEnvironment environment() {
        if (environment == null) {
            ensureDjlOffline();
            startDjlOrtEngine();
            environment = OrtEnvironment.getEnvironment();
        }
        return environment;
    }

    private static void startDjlOrtEngine() {
        try {
            Engine.getEngine("OnnxRuntime");
        } catch (RuntimeException | LinkageError e) {
            // Without DJL's engine nothing else in the JVM can claim the environment first; raw ORT
            // works.
        }
    }

    /** One intra-op thread per processor this JVM may use (container limits included). */
    public static int availableThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Session options: intra-op threads (≥ 1, or 0 for {@link #availableThreads()}) and the
     * execution provider. GPU adds CUDA and fails with a message saying what to install when this
     * ONNX Runtime build has no CUDA provider.
     */
    public static OrtSession.SessionOptions sessionOptions(int intraOpThreads, Device device) {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException(
                    "intra-op threads must be at least 1 (or 0 for all processors): "
                            + intraOpThreads);
        }
        environment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            // Resolved here rather than left to ONNX Runtime, whose 0 is its own count of physical
            // cores
            // rather than the processors this JVM may use.
            options.setIntraOpNumThreads(intraOpThreads == 0 ? availableThreads() : intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (device == Device.GPU) {
                requireCuda();
                options.addCUDA(0);
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException(
                    "cannot configure ONNX Runtime session: " + e.getMessage(), e);
        }
    }

    /** True when the ONNX Runtime on the class path has the CUDA execution provider. */
    public static boolean cudaAvailable() {
        environment();
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    private static void requireCuda() {
        if (!cudaAvailable()) {
            throw new IllegalStateException(
                    "device gpu needs the CUDA build of ONNX Runtime, but the CPU build is on the class path"
                            + " (providers: "
                            + OrtEnvironment.getAvailableProviders()
                            + "); build with 'mvn -Pgpu' (com.microsoft.onnxruntime:onnxruntime_gpu, CUDA 12 + cuDNN 9)"
                            + " or use --device cpu");
        }
    }
}
