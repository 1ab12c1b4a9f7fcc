package io.modelmonitor.models.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedModelsTest {

    static final class Model implements AutoCloseable {
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    @Test
    void oneInstancePerKeyClosedWithTheLastLease() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        int threads = 8;
        List<SharedModels.Lease<Model>> leases = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker =
                    new Thread(
                            () -> {
                                try {
                                    start.await();
                                    SharedModels.Lease<Model> lease =
                                            SharedModels.acquire(
                                                    "test/model",
                                                    () -> {
                                                        loads.incrementAndGet();
                                                        Thread.sleep(
                                                                20); // a slow load: the others must
                                                        // wait, not load again
                                                        return new Model();
                                                    });
                                    synchronized (leases) {
                                        leases.add(lease);
                                    }
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertEquals(1, loads.get());
        assertEquals(threads, SharedModels.referenceCount("test/model"));
        Model model = leases.get(0).get();
        for (SharedModels.Lease<Model> lease : leases) {
            assertSame(model, lease.get());
        }
        for (int i = 0; i < threads - 1; i++) {
            leases.get(i).close();
            leases.get(i).close(); // a second close is a no-op
        }
        assertEquals(0, model.closed.get());
        leases.get(threads - 1).close();
        assertEquals(1, model.closed.get());
        assertEquals(0, SharedModels.referenceCount("test/model"));
        assertThrows(IllegalStateException.class, () -> leases.get(0).get());
        // a new acquire loads a fresh instance
        try (SharedModels.Lease<Model> again = SharedModels.acquire("test/model", Model::new)) {
            assertTrue(again.get() != model);
        }
    }

    @Test
    void failedLoadRegistersNothing() {
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                SharedModels.acquire(
                                        "test/broken",
                                        () -> {
                                            throw new java.io.IOException("no such file");
                                        }));
        assertTrue(e.getMessage().contains("no such file"));
        assertEquals(0, SharedModels.referenceCount("test/broken"));
    }
}
