package io.modelmonitor.pipeline.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EventTimeTest {
    @Test
    void addsWithinRange() {
        assertEquals(
                3_600_000L + 1_700_000_000_000L,
                EventTime.saturatedAdd(1_700_000_000_000L, 3_600_000L));
        assertEquals(-5, EventTime.saturatedAdd(-2, -3));
        assertEquals(Long.MAX_VALUE, EventTime.saturatedAdd(Long.MAX_VALUE - 1, 1));
        assertEquals(-1, EventTime.saturatedAdd(Long.MAX_VALUE, Long.MIN_VALUE));
    }

    @Test
    void clampsOnOverflow() {
        assertEquals(Long.MAX_VALUE, EventTime.saturatedAdd(1_700_000_000_000L, Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, EventTime.saturatedAdd(Long.MAX_VALUE, 1));
        assertEquals(Long.MAX_VALUE, EventTime.saturatedAdd(Long.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(Long.MIN_VALUE, EventTime.saturatedAdd(Long.MIN_VALUE, -1));
        assertEquals(Long.MIN_VALUE, EventTime.saturatedAdd(-2, Long.MIN_VALUE));
    }
}
