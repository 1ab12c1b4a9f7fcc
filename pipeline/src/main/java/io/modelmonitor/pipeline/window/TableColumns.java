package io.modelmonitor.pipeline.window;

import io.modelmonitor.detectors.mmd.Witness;
import io.modelmonitor.detectors.univariate.ColumnDriftTester;
import io.modelmonitor.detectors.univariate.ColumnResult;
import io.modelmonitor.models.tabular.TableSchema;
import io.modelmonitor.pipeline.results.ReportRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-column results of a tabular model (named, typed features), shared by the job's window
 * evaluation and {@code drift}: the column tests as report sections, named, and the columns ranked
 * by where the MMD witness says the window's excess mass lies.
 */
public final class TableColumns {
    private TableColumns() {}

    /** The per-column tester of a schema's coded reference cells. */
    public static ColumnDriftTester tester(
            TableSchema schema, double[][] referenceCells, double alpha) {
        return ColumnDriftTester.builder()
                .setReference(referenceCells)
                .setCategorical(schema.categorical())
                .optAlpha(alpha)
                .build();
    }

    /** The column results as report sections, each named and typed. */
    public static List<ReportRecord.FeatureSection> sections(
            TableSchema schema, List<ColumnResult> results) {
        List<ReportRecord.FeatureSection> out = new ArrayList<>(results.size());
        for (ColumnResult c : results) {
            ReportRecord.FeatureSection s = new ReportRecord.FeatureSection();
            s.index = c.index();
            s.name = schema.column(c.index()).name;
            s.type = schema.column(c.index()).type.label();
            s.test = c.test();
            s.statistic = c.statistic();
            s.pValue = c.pValue();
            s.adjustedPValue = c.adjustedPValue();
            s.drift = c.drift();
            s.unseen = c.unseen();
            s.rows = c.rows();
            s.missing = c.missing();
            s.typeMismatches = c.typeMismatches();
            s.outOfRange = c.outOfRange();
            s.referenceMissingRate = c.referenceMissingRate();
            s.missingPValue = c.missingPValue();
            out.add(s);
        }
        return out;
    }

    /** Mean and standard deviation of each coordinate of the schema's vectors of the cells. */
    public static double[][] vectorMoments(TableSchema schema, double[][] referenceCells) {
        return Witness.moments(schema.vectors(referenceCells));
    }

    /**
     * The columns ranked by their witness-weighted mean shift ({@link Witness#shifts}) on the
     * multivariate test's input vector ({@link TableSchema#vector}), a column's shift being that of
     * its most shifted coordinate (its value, or one of its categories or indicators), as {@code
     * (name, index, shift)}, largest |shift| first.
     */
    public static List<ReportRecord.Exemplar> shifts(
            TableSchema schema,
            Witness witness,
            double[][] windowCells,
            double[][] referenceVectorMoments,
            int k) {
        double[] coordinates =
                witness.shifts(
                        schema.vectors(windowCells),
                        referenceVectorMoments[0],
                        referenceVectorMoments[1]);
        double[] columns = schema.perColumn(coordinates);
        List<ReportRecord.Exemplar> out = new ArrayList<>();
        for (int j : Witness.rankedShifts(columns, k)) {
            out.add(new ReportRecord.Exemplar(schema.column(j).name, j, columns[j]));
        }
        return out;
    }
}
