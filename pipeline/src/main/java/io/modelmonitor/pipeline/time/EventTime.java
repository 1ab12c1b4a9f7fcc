package io.modelmonitor.pipeline.time;

/**
 * Arithmetic on event-time milliseconds. Deadlines are a time plus a duration taken from the
 * options, and a duration of {@code Long.MAX_VALUE} ("never") must give a timer that never fires
 * rather than one that wraps around to the distant past and fires at once.
 */
public final class EventTime {
    private EventTime() {}

    /** {@code a + b}, clamped to {@code Long.MAX_VALUE} or {@code Long.MIN_VALUE} on overflow. */
    public static long saturatedAdd(long a, long b) {
        long r = a + b;
        // Overflow iff both operands have the sign that the result lacks.
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }
}
