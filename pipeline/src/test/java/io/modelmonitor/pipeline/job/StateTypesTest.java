package io.modelmonitor.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.modelmonitor.detectors.performance.ConfidenceCalibrator;
import io.modelmonitor.detectors.performance.PerformanceEstimator;
import io.modelmonitor.pipeline.alerts.AlertLifecycle;
import io.modelmonitor.pipeline.alerts.AlertRecord;
import io.modelmonitor.pipeline.labels.PredictionSummary;
import io.modelmonitor.pipeline.record.EmbeddedEvent;
import io.modelmonitor.pipeline.record.EventParser;
import io.modelmonitor.pipeline.record.LabelEvent;
import io.modelmonitor.pipeline.record.PredictionEvent;
import io.modelmonitor.pipeline.references.BundleActivation;
import io.modelmonitor.pipeline.references.ReferenceUpdate;
import io.modelmonitor.pipeline.results.ReportUpdate;
import io.modelmonitor.pipeline.results.WindowState;
import io.modelmonitor.pipeline.window.SampleRow;
import io.modelmonitor.pipeline.window.WindowAccumulator;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The job's keyed and window state types have Flink's own serializers, not Kryo: their savepoint
 * format is then Flink's POJO format, which tolerates added and removed fields. The MiniCluster
 * tests run the job with generic types refused ({@link MonitorJob#addTo}); this checks each state
 * type directly, so a field that would need Kryo is named here.
 */
class StateTypesTest {
    private static final List<Class<?>> STATE_TYPES =
            List.of(
                    WindowAccumulator.class,
                    PerformanceEstimator.Accumulator.class,
                    WindowState.class,
                    ReportUpdate.class,
                    AlertRecord.class,
                    AlertLifecycle.Progress.class,
                    AlertLifecycle.WindowEntry.class,
                    PredictionSummary.class,
                    LabelEvent.class,
                    EmbeddedEvent.class,
                    SampleRow.class,
                    BundleActivation.class,
                    PredictionEvent.class,
                    ReferenceUpdate.class);

    @Test
    void everyStateTypeIsAPojoWithoutGenericFields() throws Exception {
        for (Class<?> type : STATE_TYPES) {
            TypeInformation<?> info = TypeInformation.of(type);
            assertInstanceOf(PojoTypeInfo.class, info, type.getName());
            // Throws UnsupportedOperationException naming the type of any field that would need
            // Kryo.
            serializer(info);
        }
    }

    @Test
    void aWindowAccumulatorWithItsEstimateSurvivesTheSerializer() throws Exception {
        PerformanceEstimator estimator =
                new PerformanceEstimator(ConfidenceCalibrator.identity(), 3);
        WindowAccumulator acc = new WindowAccumulator();
        acc.model = "m";
        acc.count = 2;
        acc.predictionCounts.put("a", 2L);
        acc.estimate = estimator.createAccumulator();
        estimator.add(acc.estimate, new double[] {0.7, 0.2, 0.1});
        estimator.add(acc.estimate, new double[] {0.1, 0.3, 0.6});

        TypeSerializer<WindowAccumulator> s =
                serializer(TypeInformation.of(WindowAccumulator.class));
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(acc, out);
        WindowAccumulator back = s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertEquals(acc.predictionCounts, back.predictionCounts);
        assertEquals(2, back.estimate.count());
        assertArrayEquals(acc.estimate.expectedConfusion(), back.estimate.expectedConfusion());
        assertEquals(estimator.estimate(acc.estimate), estimator.estimate(back.estimate));
    }

    @Test
    void anEventWithNamedFeaturesCrossesOperatorsWithoutKryo() throws Exception {
        PredictionEvent e =
                EventParser.builder()
                        .build()
                        .parsePrediction(
                                "{\"id\":\"t\",\"ts\":1000,\"features\":"
                                        + "{\"age\":41,\"country\":\"DE\",\"member\":true,\"device\":null}}");
        TypeInformation<PredictionEvent> info = TypeInformation.of(PredictionEvent.class);
        assertInstanceOf(PojoTypeInfo.class, info);
        TypeSerializer<PredictionEvent> s = serializer(info);
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(e, out);
        assertEquals(e, s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())));
    }

    private static <T> TypeSerializer<T> serializer(TypeInformation<T> info) {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        return info.createSerializer(config);
    }
}
