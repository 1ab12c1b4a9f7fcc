package io.modelmonitor.pipeline.hostile;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.pipeline.record.EventParser;
import io.modelmonitor.pipeline.record.InvalidRecordException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every hostile record is rejected by the parser with the reason the corpus names. */
class HostileCorpusTest {
    private static final EventParser PARSER = EventParser.builder().build();

    static List<HostileCorpus.Case> predictions() {
        return HostileCorpus.predictions();
    }

    static List<HostileCorpus.Case> labels() {
        return HostileCorpus.labels();
    }

    @Test
    void corpusHasAtLeastSixtyKinds() {
        assertTrue(HostileCorpus.predictions().size() + HostileCorpus.labels().size() >= 60);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("predictions")
    void predictionRejectedWithReason(HostileCorpus.Case c) {
        InvalidRecordException e =
                assertThrows(InvalidRecordException.class, () -> PARSER.parsePrediction(c.raw()));
        assertTrue(
                e.getMessage().contains(c.reason()),
                () -> c.kind() + ": reason was '" + e.getMessage() + "'");
        assertTrue(e.getMessage().length() < 300, "reasons stay one short line");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labels")
    void labelRejectedWithReason(HostileCorpus.Case c) {
        InvalidRecordException e =
                assertThrows(InvalidRecordException.class, () -> PARSER.parseLabel(c.raw()));
        assertTrue(
                e.getMessage().contains(c.reason()),
                () -> c.kind() + ": reason was '" + e.getMessage() + "'");
    }
}
