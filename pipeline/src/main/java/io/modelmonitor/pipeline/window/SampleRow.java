package io.modelmonitor.pipeline.window;

/** One sampled event of a window, as {@link ModelWindows} keeps it in map state. A Flink POJO. */
public class SampleRow {
    public String id;
    public double[] embedding;

    /** Raw features (numeric inputs), else null. */
    public double[] features;

    /** Top class probability, NaN without scores. */
    public double topScore = Double.NaN;

    public SampleRow() {}
}
