package io.modelmonitor.pipeline.embed;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.options.ConfigurationException;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.record.DeadLetter;
import io.modelmonitor.pipeline.record.EmbeddedEvent;
import io.modelmonitor.pipeline.record.EventParser;
import io.modelmonitor.pipeline.record.InvalidRecordException;
import io.modelmonitor.pipeline.record.PredictionEvent;
import io.modelmonitor.pipeline.references.BundleActivation;
import io.modelmonitor.pipeline.references.BundleResolver;
import io.modelmonitor.pipeline.references.Bundles;
import io.modelmonitor.pipeline.references.EventCheck;
import io.modelmonitor.pipeline.references.ReferenceTimeline;
import io.modelmonitor.pipeline.references.ReferenceUpdate;
import io.modelmonitor.pipeline.references.UnknownModelCounter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

/**
 * Micro-batches events into the encoder: a batch goes out when it is full ({@code --batch-size}
 * events), when the oldest event has waited {@code --batch-timeout} (processing time), before a
 * watermark that would make a buffered event late is forwarded (so no event overtakes such a
 * watermark), before a checkpoint barrier (so the buffer never needs to be checkpointed) and at the
 * end of input. Each event keeps its timestamp, and a batch's events go out in arrival order.
 *
 * <p>The buffer is large (512 events by default) because the text encoder sorts a batch by token
 * count before cutting it into model calls of 32: the larger the buffer, the closer the lengths in
 * each call and the less padding is computed (on texts of 20 to 600 characters, padded tokens are
 * 91 % more than real ones in arrival-order batches of 32, 12 % in a sorted buffer of 256 and 6 %
 * at 512). A watermark that no buffered event is at or behind passes straight through without
 * flushing: flushing on every watermark would cut the buffer into the few events that arrive
 * between two periodic watermarks.
 *
 * <p>With reference updates (second input, {@code --references}, docs/architecture.md "Reference
 * updates") each event is embedded with the bundle in force at the start of each of its windows
 * (one copy per distinct bundle, each carrying the bundle's validity so that the window assigner
 * puts it only in windows under that bundle). An event waits (checkpointed) until every update that
 * could govern its windows is known: the updates' watermark has passed its latest window start, or
 * the updates' input is idle or finished, and no bundle of its model with an earlier {@code from}
 * is still being loaded. Bundles load on a background thread; only the events of that model wait.
 * An event no bundle governs is a dead letter ("unknown model"), as is one that does not fit its
 * bundle; an update whose bundle cannot be used is a dead letter of source {@code references}
 * (emitted by subtask 0: every subtask checks every update) and changes nothing. The activations
 * are broadcast operator state: a restored job uses the same bundles.
 *
 * <p>Metrics (group {@code modelmonitor}): {@code encoder_latency_ms} and {@code batch_size}
 * histograms, {@code events} counter, {@code unknown_model.<name>.events} counters.
 */
public class EmbeddingOperator extends AbstractStreamOperator<EmbeddedEvent>
        implements OneInputStreamOperator<PredictionEvent, EmbeddedEvent>,
                TwoInputStreamOperator<PredictionEvent, ReferenceUpdate, EmbeddedEvent>,
                ProcessingTimeCallback {
    private static final long serialVersionUID = 2L;
    private static final int HISTOGRAM_WINDOW = 1000;
    private static final long LOAD_POLL_MS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Events that fit no bundle, and reference updates that cannot be used. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("embed-dead-letters") {};

    public static final String REFERENCES = "references";

    static final MapStateDescriptor<String, BundleActivation> ACTIVATIONS =
            new MapStateDescriptor<>(
                    "bundle-activations", Types.STRING, TypeInformation.of(BundleActivation.class));
    static final MapStateDescriptor<String, BundleActivation> LOADING =
            new MapStateDescriptor<>(
                    "bundle-activations-loading",
                    Types.STRING,
                    TypeInformation.of(BundleActivation.class));

    /** Bundle loads run here, off the operator's thread. */
    private static final ExecutorService LOADER =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "bundle-loader");
                        t.setDaemon(true);
                        return t;
                    });

    private final BundleResolver resolver;
    private final JobSettings settings;
    private final boolean referenceUpdates;
    private final int batchSize;
    private final long batchTimeoutMs;
    private final EncoderLoader loader;
    private final EventCheck check;

    private transient EventEmbedder embedder;
    private transient List<PredictionEvent> pending;
    private transient List<Long> pendingTimestamps;
    private transient List<BundleActivation> pendingBundles;
    private transient List<Long> pendingUntil;

    /**
     * The smallest timestamp in the buffer: a watermark at or above it would make that event late.
     */
    private transient long minPendingTimestamp;

    private transient boolean timerPending;
    private transient Histogram latency;
    private transient Histogram batchSizes;
    private transient org.apache.flink.metrics.Counter embedded;
    private transient UnknownModelCounter unknownModels;

    private transient ReferenceTimeline timeline;
    private transient BroadcastState<String, BundleActivation> activations;
    private transient BroadcastState<String, BundleActivation> loadingState;
    private transient ListState<PredictionEvent> waitingState;

    /** Events whose bundle is not known yet, in arrival order. */
    private transient List<PredictionEvent> waiting;

    /** Bundle loads in flight by activation key, in arrival order. */
    private transient LinkedHashMap<String, Loading> loading;

    private transient long updatesWatermark;
    private transient boolean updatesIdle;
    private transient boolean pollPending;

    /** Only the start-up bundles: one input, no reference updates. */
    public EmbeddingOperator(Map<String, ModelReference> references, JobSettings settings) {
        this(BundleResolver.of(references), settings, false, (e, ref) -> {});
    }

    /**
     * @param referenceUpdates whether the operator has the second input of reference updates
     * @param check the checks of an event against its bundle (with reference updates; without, they
     *     are made when events are parsed)
     */
    public EmbeddingOperator(
            BundleResolver resolver,
            JobSettings settings,
            boolean referenceUpdates,
            EventCheck check) {
        this.check = check;
        this.resolver = resolver;
        this.settings = settings;
        this.referenceUpdates = referenceUpdates;
        this.batchSize = settings.batchSize;
        this.batchTimeoutMs = settings.batchTimeoutMs;
        this.loader = new EncoderLoader(settings.encoderThreads, settings.device);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        timeline = new ReferenceTimeline();
        for (String model : resolver.startup().keySet()) {
            timeline.put(
                    new BundleActivation(model, Long.MIN_VALUE, null, resolver.startupId(model)));
        }
        activations = context.getOperatorStateStore().getBroadcastState(ACTIVATIONS);
        loadingState = context.getOperatorStateStore().getBroadcastState(LOADING);
        waitingState =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "waiting-events",
                                        TypeInformation.of(PredictionEvent.class)));
        waiting = new ArrayList<>();
        for (PredictionEvent e : waitingState.get()) {
            waiting.add(e);
        }
        for (Map.Entry<String, BundleActivation> a : activations.entries()) {
            timeline.put(a.getValue());
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        pending = new ArrayList<>(batchSize);
        pendingTimestamps = new ArrayList<>(batchSize);
        pendingBundles = new ArrayList<>(batchSize);
        pendingUntil = new ArrayList<>(batchSize);
        minPendingTimestamp = Long.MAX_VALUE;
        var group = getMetricGroup().addGroup("modelmonitor");
        latency =
                group.histogram(
                        "encoder_latency_ms", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        batchSizes =
                group.histogram("batch_size", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        embedded = group.counter("events");
        unknownModels = new UnknownModelCounter(group);
        Map<String, ModelReference> startup = new java.util.HashMap<>();
        for (Map.Entry<String, ModelReference> m : resolver.startup().entrySet()) {
            startup.put(resolver.startupId(m.getKey()), m.getValue());
        }
        embedder = new EventEmbedder(startup, loader);
        updatesWatermark = referenceUpdates ? Long.MIN_VALUE : Long.MAX_VALUE;
        loading = new LinkedHashMap<>();
        // A restored job needs the bundles it had in force before it takes any event.
        for (Map.Entry<String, BundleActivation> a : activations.entries()) {
            Loaded l = load(a.getValue().model, a.getValue().path);
            if (!l.id.equals(a.getValue().bundle)) {
                l.release();
                throw new IllegalStateException(
                        "bundle "
                                + a.getValue().path
                                + " is now "
                                + l.id
                                + ", not "
                                + a.getValue().bundle
                                + " as when it was activated: keep a bundle's directory unchanged while it may be in force");
            }
            embedder.register(l.id, l.ref, l.leases);
        }
        for (Map.Entry<String, BundleActivation> a : loadingState.entries()) {
            startLoading(a.getValue(), a.getValue().raw);
        }
    }

    @Override
    public void processElement(StreamRecord<PredictionEvent> record) throws Exception {
        processElement1(record);
    }

    @Override
    public void processElement1(StreamRecord<PredictionEvent> record) throws Exception {
        PredictionEvent e = record.getValue();
        if (!loading.isEmpty()) {
            resolveLoads(false);
        }
        if (ready(e)) {
            route(e);
        } else {
            waiting.add(e);
        }
    }

    @Override
    public void processElement2(StreamRecord<ReferenceUpdate> record) throws Exception {
        ReferenceUpdate u = record.getValue();
        BundleActivation a = new BundleActivation(u.model, u.from, u.bundle, null);
        a.raw = u.raw;
        loadingState.put(a.key(), a);
        startLoading(a, u.raw);
    }

    private void startLoading(BundleActivation a, String raw) {
        Loading previous = loading.remove(a.key());
        if (previous != null) {
            previous.future.thenAccept(Loaded::release);
        }
        String model = a.model;
        String path = a.path;
        loading.put(
                a.key(),
                new Loading(
                        a, raw, CompletableFuture.supplyAsync(() -> load(model, path), LOADER)));
        pollLoads();
    }

    /** Reads, checks and opens a bundle: runs on the loader threads, or at restore. */
    private Loaded load(String model, String path) {
        Path dir = Path.of(path);
        String id = Bundles.id(model, dir);
        ModelReference ref = Bundles.reference(id, model, dir, resolver.loader());
        try {
            return new Loaded(id, ref, EventEmbedder.Leases.acquire(ref, loader));
        } catch (Exception ex) {
            throw new ConfigurationException(
                    "bundle " + dir + ": cannot load encoder: " + ex.getMessage(), ex);
        }
    }

    private void pollLoads() {
        if (!pollPending && !loading.isEmpty()) {
            pollPending = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService()
                    .registerTimer(
                            now + LOAD_POLL_MS,
                            t -> {
                                pollPending = false;
                                resolveLoads(false);
                                drainWaiting(Long.MIN_VALUE);
                                pollLoads();
                            });
        }
    }

    /**
     * Takes in finished loads in arrival order (all of them when {@code block}): a usable bundle
     * joins the timeline, an unusable one becomes a dead letter.
     */
    private void resolveLoads(boolean block) throws Exception {
        Iterator<Loading> it = loading.values().iterator();
        while (it.hasNext()) {
            Loading l = it.next();
            if (!block && !l.future.isDone()) {
                continue;
            }
            it.remove();
            loadingState.remove(l.activation.key());
            Loaded done;
            try {
                done = l.future.join();
                BundleActivation before =
                        timeline.inForce(l.activation.model, l.activation.from - 1);
                if (before == null) {
                    before = timeline.latest(l.activation.model);
                }
                if (before != null) {
                    Bundles.requireCompatible(
                            resolver.reference(before.model, before.bundle, before.path),
                            done.ref,
                            Path.of(l.activation.path));
                }
            } catch (Exception ex) {
                Throwable cause =
                        ex instanceof java.util.concurrent.CompletionException
                                        && ex.getCause() != null
                                ? ex.getCause()
                                : ex;
                if (l.future.isDone() && !l.future.isCompletedExceptionally()) {
                    l.future.join().release();
                }
                rejectUpdate(l, cause);
                continue;
            }
            BundleActivation a =
                    new BundleActivation(
                            l.activation.model, l.activation.from, l.activation.path, done.id);
            timeline.put(a);
            activations.put(a.key(), a);
            embedder.register(done.id, done.ref, done.leases);
        }
    }

    private void rejectUpdate(Loading l, Throwable cause) {
        if (l.raw == null || getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() != 0) {
            return; // every subtask checks every update: one dead letter is enough
        }
        String reason =
                cause instanceof ConfigurationException c
                        ? Bundles.reason(c)
                        : "bundle " + l.activation.path + ": " + cause.getMessage();
        DeadLetter d = new DeadLetter(reason, REFERENCES, l.raw, l.activation.model);
        d.ts = l.activation.from;
        output.collect(DEAD_LETTERS, new StreamRecord<>(d, l.activation.from));
    }

    /** Whether every update that can govern the event's windows is known. */
    private boolean ready(PredictionEvent e) {
        long last = settings.latestWindowStart(e.ts);
        if (!updatesIdle && updatesWatermark < last) {
            return false;
        }
        for (Loading l : loading.values()) {
            if (l.activation.model.equals(e.model) && l.activation.from <= last) {
                return false;
            }
        }
        return true;
    }

    /** Routes the waiting events that became ready, and those at or before {@code force}. */
    private void drainWaiting(long force) throws Exception {
        if (waiting.isEmpty()) {
            return;
        }
        List<PredictionEvent> still = new ArrayList<>();
        for (PredictionEvent e : waiting) {
            if (e.ts <= force && !ready(e)) {
                // the watermark is about to pass it: its model's loads must finish now
                resolveLoads(true);
            }
            if (ready(e) || e.ts <= force) {
                route(e);
            } else {
                still.add(e);
            }
        }
        waiting = still;
    }

    /** Queues the event for embedding once per bundle that governs one of its windows. */
    private void route(PredictionEvent e) throws Exception {
        List<BundleActivation> bundles = new ArrayList<>(1);
        for (long start : settings.windowStarts(e.ts)) {
            BundleActivation a = timeline.inForce(e.model, start);
            if (a != null && !bundles.contains(a)) {
                bundles.add(a);
            }
        }
        if (bundles.isEmpty()) {
            unknownModels.count(e.model);
            deadLetter(
                    e,
                    UnknownModelCounter.reason(e.model)
                            + " at "
                            + java.time.Instant.ofEpochMilli(e.ts));
            return;
        }
        for (BundleActivation a : bundles) {
            if (referenceUpdates) {
                try {
                    check.check(e, resolver.reference(a.model, a.bundle, a.path));
                } catch (InvalidRecordException bad) {
                    deadLetter(e, bad.getMessage());
                    return;
                }
            }
        }
        for (BundleActivation a : bundles) {
            pending.add(e);
            pendingTimestamps.add(e.ts);
            pendingBundles.add(a);
            pendingUntil.add(timeline.until(a));
        }
        minPendingTimestamp = Math.min(minPendingTimestamp, e.ts);
        if (pending.size() >= batchSize) {
            flush();
        } else if (!timerPending) {
            timerPending = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + batchTimeoutMs, this);
        }
    }

    private void deadLetter(PredictionEvent e, String reason) throws Exception {
        String raw = JSON.writeValueAsString(e);
        if (raw.length() > EventParser.MAX_RAW_IN_DEAD_LETTER) {
            raw = raw.substring(0, EventParser.MAX_RAW_IN_DEAD_LETTER);
        }
        DeadLetter d = new DeadLetter(reason, "events", raw, e.model);
        d.ts = e.ts;
        output.collect(DEAD_LETTERS, new StreamRecord<>(d, e.ts));
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        timerPending = false;
        flush();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        // The combined watermark of both inputs. Waiting events it would make late are routed
        // first (waiting for their bundle loads), then the buffer goes out if the watermark would
        // make one of its events late; an event without a timestamp is never late.
        drainWaiting(mark.getTimestamp());
        if (minPendingTimestamp <= mark.getTimestamp()) {
            flush();
        }
        super.processWatermark(mark);
    }

    @Override
    public void processWatermark2(Watermark mark) throws Exception {
        updatesWatermark = mark.getTimestamp();
        drainWaiting(Long.MIN_VALUE);
        super.processWatermark2(mark);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        // Once this input is idle, downstream event time follows the other inputs alone and may
        // pass a buffered event's timestamp: the buffer goes out first.
        if (status.isIdle()) {
            flush();
        }
        super.processWatermarkStatus(status);
    }

    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int input) throws Exception {
        if (input == 0 && status.isIdle()) {
            flush(); // as for one input: event time may now pass the buffered events
        } else if (input == 1) {
            // Idle updates hold nothing back: events are routed with the bundles known now.
            updatesIdle = status.isIdle();
            drainWaiting(Long.MIN_VALUE);
        }
        super.processWatermarkStatus(status, input);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        waitingState.update(waiting);
    }

    @Override
    public void finish() throws Exception {
        resolveLoads(true);
        updatesIdle = true;
        drainWaiting(Long.MAX_VALUE);
        flush();
        super.finish();
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(pending.size());
        for (BundleActivation a : pendingBundles) {
            keys.add(a.bundle);
        }
        long t0 = System.nanoTime();
        List<EmbeddedEvent> out = embedder.embed(pending, keys);
        latency.update((System.nanoTime() - t0) / 1_000_000);
        batchSizes.update(out.size());
        embedded.inc(out.size());
        for (int i = 0; i < out.size(); i++) {
            EmbeddedEvent e = out.get(i);
            BundleActivation a = pendingBundles.get(i);
            e.bundle = a.bundle;
            e.bundlePath = a.path;
            e.bundleFrom = a.from;
            e.bundleUntil = pendingUntil.get(i);
            output.collect(new StreamRecord<>(e, pendingTimestamps.get(i)));
        }
        pending.clear();
        pendingTimestamps.clear();
        pendingBundles.clear();
        pendingUntil.clear();
        minPendingTimestamp = Long.MAX_VALUE;
    }

    @Override
    public void close() throws Exception {
        try {
            if (loading != null) {
                for (Loading l : loading.values()) {
                    l.future.thenAccept(Loaded::release);
                }
                loading.clear();
            }
            if (embedder != null) {
                embedder.close();
                embedder = null;
            }
        } finally {
            super.close();
        }
    }

    /** A bundle being loaded for an activation, and the update record that asked for it. */
    private record Loading(
            BundleActivation activation, String raw, CompletableFuture<Loaded> future) {}

    /** A loaded bundle: its id, reference and encoder lease (null for numeric inputs). */
    private record Loaded(String id, ModelReference ref, EventEmbedder.Leases leases) {
        void release() {
            leases.close();
        }
    }
}
