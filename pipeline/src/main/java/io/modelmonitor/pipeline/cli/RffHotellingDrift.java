package io.modelmonitor.pipeline.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.detectors.mmd.RffHotelling;
import io.modelmonitor.detectors.mmd.Witness;
import io.modelmonitor.pipeline.io.NumericSample;
import io.modelmonitor.pipeline.options.ConfigurationException;

/**
 * {@code drift --test rff_hotelling} (and {@code auto} on large samples): the linear-time
 * random-feature test ({@link RffHotelling}) and its {@code drift.mmd} object, with exemplars and
 * per-input shifts from the random-feature witness (rows named by id, or by row index for tabular
 * files, which have no ids).
 */
final class RffHotellingDrift {
    private RffHotellingDrift() {}

    /** The {@code drift.mmd} object, added to {@code out}. */
    static ObjectNode run(
            NumericSample reference,
            NumericSample current,
            Double sigma,
            long seed,
            double alpha,
            int exemplars) {
        int rows = reference.rows() + current.rows();
        if (rows - 2 <= RffHotelling.DEFAULT_FEATURES) {
            throw new ConfigurationException(
                    "--test rff_hotelling needs more than "
                            + (RffHotelling.DEFAULT_FEATURES + 2)
                            + " rows in all (it estimates a covariance of "
                            + RffHotelling.DEFAULT_FEATURES
                            + " random features), got "
                            + rows
                            + "; use --test mmd");
        }
        RffHotelling.Builder b =
                RffHotelling.builder().setReference(reference.values()).optSeed(seed);
        if (sigma != null) {
            b.optSigma(sigma);
        }
        RffHotelling test = b.build();
        RffHotelling.Result r = test.test(current.values());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode mmd = out.putObject("drift").putObject("mmd");
        mmd.put("statistic", r.statistic());
        mmd.put("p_value", r.pValue());
        mmd.put("drift", r.drift(alpha));
        mmd.put("sigma", r.sigma());
        mmd.put("test", "rff_hotelling");
        mmd.put("null", "hotelling_f");
        mmd.put("random_features", r.features());
        mmd.put("hotelling_t2", r.t2());
        mmd.put("dof", r.dof());
        mmd.put("seed", seed);
        mmd.put("n_reference", r.nReference());
        mmd.put("n_current", r.nCurrent());
        if (exemplars > 0) {
            Witness w = test.witness(current.values(), r);
            ArrayNode top = mmd.putArray("exemplars");
            double[] wv = w.windowValues();
            for (int i : w.topWindow(exemplars, current.ids())) {
                named(top.addObject(), current.ids(), i).put("witness", wv[i]);
            }
            ArrayNode bottom = mmd.putArray("reference_exemplars");
            double[] rv = w.referenceValues();
            for (int i : w.bottomReference(exemplars)) {
                named(bottom.addObject(), reference.ids(), i).put("witness", rv[i]);
            }
            double[][] moments = Witness.moments(reference.values());
            double[] shifts = w.shifts(current.values(), moments[0], moments[1]);
            ArrayNode a = mmd.putArray("feature_shifts");
            for (int j : Witness.rankedShifts(shifts, exemplars)) {
                ObjectNode o = a.addObject().put("index", j);
                if (Double.isFinite(shifts[j])) {
                    o.put("shift", shifts[j]);
                } else {
                    o.putNull("shift");
                }
            }
        }
        return out;
    }

    private static ObjectNode named(ObjectNode o, String[] ids, int i) {
        return ids != null ? o.put("id", ids[i]) : o.put("index", i);
    }
}
