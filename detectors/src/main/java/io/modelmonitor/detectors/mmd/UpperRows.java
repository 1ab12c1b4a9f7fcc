package io.modelmonitor.detectors.mmd;

/**
 * Read access to rows of the strict upper triangle of a reference×reference kernel block, stored as
 * float: entry (i, j) with j &gt; i is {@code array()[base(i) + j]}.
 */
interface UpperRows {
    float[] array();

    int base(int i);
}
