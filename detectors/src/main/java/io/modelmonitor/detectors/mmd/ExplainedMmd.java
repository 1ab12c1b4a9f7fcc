package io.modelmonitor.detectors.mmd;

import java.io.Serializable;

/**
 * A test's result with its witness function at the points of both samples ({@link
 * MmdDetector#testExplained}): the result is the one {@link MmdDetector#test} gives.
 */
public record ExplainedMmd(MmdResult result, Witness witness) implements Serializable {}
