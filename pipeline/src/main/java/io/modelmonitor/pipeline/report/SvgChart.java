package io.modelmonitor.pipeline.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A time-series chart rendered as inline SVG text: lines, bars, horizontal reference rules and
 * shaded time bands over a UTC time axis, with a linear or logarithmic y axis.
 *
 * <p>It exists so that the HTML report needs no charting library and no network when it is opened:
 * the page embeds the SVG this class writes. Colours and dash styles come from CSS classes that the
 * page's inline style sheet defines, so a chart carries structure only. Missing values ({@code
 * NaN}) break a line instead of dropping it to zero. Every data point carries a {@code <title>} so
 * that hovering shows its window and value without any script.
 */
final class SvgChart {
    static final int WIDTH = 960;
    static final int HEIGHT = 260;
    private static final int LEFT = 66;
    private static final int RIGHT = 28;
    private static final int TOP = 30;
    private static final int BOTTOM = 34;

    /** Above this many points the markers would merge into a smear; the line alone reads better. */
    private static final int MAX_MARKERS = 400;

    private static final DateTimeFormatter TOOLTIP_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    enum Scale {
        LINEAR,
        LOG
    }

    /** One value at one time (the middle of its window). */
    record Point(Instant at, double value, String tooltip) {}

    /** One bar spanning a window. */
    record Bar(Instant from, Instant to, double value, String cssClass, String tooltip) {}

    /** A shaded stretch of time, such as an alert or a window without a test. */
    record Band(Instant from, Instant to, String cssClass, String legend, String tooltip) {}

    private record Line(String name, String cssClass, List<Point> points) {}

    private record Rule(String name, String cssClass, double value) {}

    private final String title;
    private final String yLabel;
    private final long xMin;
    private final long xMax;
    private Scale scale = Scale.LINEAR;
    private double yMin = Double.NaN;
    private double yMax = Double.NaN;
    private final List<Line> lines = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private final List<Bar> bars = new ArrayList<>();
    private final Map<String, String> barLegend = new LinkedHashMap<>();
    private final List<Band> bands = new ArrayList<>();

    SvgChart(String title, String yLabel, Instant from, Instant to) {
        this.title = title;
        this.yLabel = yLabel;
        this.xMin = from.toEpochMilli();
        this.xMax = Math.max(to.toEpochMilli(), xMin + 1);
    }

    /** Fixes the y axis; a {@code NaN} bound is taken from the data. */
    SvgChart yAxis(Scale scale, double min, double max) {
        this.scale = scale;
        this.yMin = min;
        this.yMax = max;
        return this;
    }

    SvgChart line(String name, String cssClass, List<Point> points) {
        lines.add(new Line(name, cssClass, points));
        return this;
    }

    SvgChart rule(String name, String cssClass, double value) {
        rules.add(new Rule(name, cssClass, value));
        return this;
    }

    SvgChart bars(String legend, String cssClass, List<Bar> values) {
        bars.addAll(values);
        barLegend.putIfAbsent(cssClass, legend);
        return this;
    }

    SvgChart band(Band band) {
        bands.add(band);
        return this;
    }

    String render() {
        double[] range = yRange();
        double lo = range[0];
        double hi = range[1];
        StringBuilder svg = new StringBuilder(4096);
        svg.append("<svg class=\"chart\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"")
                .append(Html.escape(title))
                .append("\">");
        svg.append("<title>").append(Html.escape(title)).append("</title>");
        svg.append("<rect class=\"plot-area\" x=\"")
                .append(LEFT)
                .append("\" y=\"")
                .append(TOP)
                .append("\" width=\"")
                .append(plotWidth())
                .append("\" height=\"")
                .append(plotHeight())
                .append("\"/>");
        for (Band b : bands) {
            double x0 = x(b.from().toEpochMilli());
            double x1 = Math.max(x(b.to().toEpochMilli()), x0 + 1.5);
            svg.append("<rect class=\"band ")
                    .append(b.cssClass())
                    .append("\" x=\"")
                    .append(Html.coord(x0))
                    .append("\" y=\"")
                    .append(TOP)
                    .append("\" width=\"")
                    .append(Html.coord(x1 - x0))
                    .append("\" height=\"")
                    .append(plotHeight())
                    .append("\"><title>")
                    .append(Html.escape(b.tooltip()))
                    .append("</title></rect>");
        }
        yGrid(svg, lo, hi);
        xGrid(svg);
        for (Bar b : bars) {
            if (Double.isNaN(b.value())) {
                continue;
            }
            double x0 = x(b.from().toEpochMilli());
            double x1 = x(b.to().toEpochMilli());
            double gap = Math.min(1.0, (x1 - x0) * 0.1);
            double top = y(b.value(), lo, hi);
            double base = y(scale == Scale.LOG ? lo : Math.max(lo, 0), lo, hi);
            svg.append("<rect class=\"bar ")
                    .append(b.cssClass())
                    .append("\" x=\"")
                    .append(Html.coord(x0 + gap))
                    .append("\" y=\"")
                    .append(Html.coord(Math.min(top, base)))
                    .append("\" width=\"")
                    .append(Html.coord(Math.max(x1 - x0 - 2 * gap, 0.5)))
                    .append("\" height=\"")
                    .append(Html.coord(Math.abs(base - top)))
                    .append("\"><title>")
                    .append(Html.escape(b.tooltip()))
                    .append("</title></rect>");
        }
        for (Rule r : rules) {
            String yy = Html.coord(y(r.value(), lo, hi));
            svg.append("<line class=\"rule ")
                    .append(r.cssClass())
                    .append("\" x1=\"")
                    .append(LEFT)
                    .append("\" x2=\"")
                    .append(LEFT + plotWidth())
                    .append("\" y1=\"")
                    .append(yy)
                    .append("\" y2=\"")
                    .append(yy)
                    .append("\"><title>")
                    .append(Html.escape(r.name() + " = " + Html.number(r.value())))
                    .append("</title></line>");
        }
        for (Line l : lines) {
            path(svg, l, lo, hi);
        }
        svg.append("<text class=\"axis-label\" transform=\"translate(14 ")
                .append(TOP + plotHeight() / 2)
                .append(") rotate(-90)\" text-anchor=\"middle\">")
                .append(Html.escape(yLabel))
                .append("</text>");
        legend(svg);
        svg.append("</svg>");
        return svg.toString();
    }

    private void path(StringBuilder svg, Line l, double lo, double hi) {
        StringBuilder d = new StringBuilder();
        boolean pen = false;
        int finite = 0;
        for (Point p : l.points()) {
            if (Double.isNaN(p.value())) {
                pen = false;
                continue;
            }
            d.append(pen ? " L" : (d.length() == 0 ? "M" : " M"))
                    .append(Html.coord(x(p.at().toEpochMilli())))
                    .append(' ')
                    .append(Html.coord(y(p.value(), lo, hi)));
            pen = true;
            finite++;
        }
        svg.append("<g class=\"series ").append(l.cssClass()).append("\">");
        if (d.length() > 0) {
            svg.append("<path class=\"line\" d=\"").append(d).append("\"/>");
        }
        if (finite <= MAX_MARKERS) {
            for (Point p : l.points()) {
                if (!Double.isNaN(p.value())) {
                    svg.append("<circle class=\"marker\" cx=\"")
                            .append(Html.coord(x(p.at().toEpochMilli())))
                            .append("\" cy=\"")
                            .append(Html.coord(y(p.value(), lo, hi)))
                            .append("\" r=\"2.6\"><title>")
                            .append(
                                    Html.escape(
                                            l.name()
                                                    + " "
                                                    + TOOLTIP_TIME.format(p.at())
                                                    + ": "
                                                    + Html.number(p.value())
                                                    + (p.tooltip() == null
                                                            ? ""
                                                            : " " + p.tooltip())))
                            .append("</title></circle>");
                }
            }
        }
        svg.append("</g>");
    }

    /** One legend entry per line, rule, bar kind and band kind, across the top of the chart. */
    private void legend(StringBuilder svg) {
        double x = LEFT;
        List<String[]> entries = new ArrayList<>(); // {kind, cssClass, label}
        for (Line l : lines) {
            entries.add(new String[] {"line", l.cssClass(), l.name()});
        }
        for (Rule r : rules) {
            entries.add(new String[] {"rule", r.cssClass(), r.name()});
        }
        barLegend.forEach((css, label) -> entries.add(new String[] {"bar", css, label}));
        Map<String, String> bandKinds = new LinkedHashMap<>();
        for (Band b : bands) {
            bandKinds.putIfAbsent(b.cssClass(), b.legend());
        }
        bandKinds.forEach((css, label) -> entries.add(new String[] {"band", css, label}));
        svg.append("<g class=\"legend\">");
        for (String[] e : entries) {
            int y = 14;
            svg.append("<g class=\"")
                    .append(e[0].equals("line") ? "series " : "")
                    .append(e[1])
                    .append("\">");
            switch (e[0]) {
                case "line" ->
                        svg.append("<line class=\"line\" x1=\"")
                                .append(Html.coord(x))
                                .append("\" x2=\"")
                                .append(Html.coord(x + 18))
                                .append("\" y1=\"")
                                .append(y)
                                .append("\" y2=\"")
                                .append(y)
                                .append("\"/>");
                case "rule" ->
                        svg.append("<line class=\"rule ")
                                .append(e[1])
                                .append("\" x1=\"")
                                .append(Html.coord(x))
                                .append("\" x2=\"")
                                .append(Html.coord(x + 18))
                                .append("\" y1=\"")
                                .append(y)
                                .append("\" y2=\"")
                                .append(y)
                                .append("\"/>");
                default ->
                        svg.append("<rect class=\"swatch ")
                                .append(e[1])
                                .append("\" x=\"")
                                .append(Html.coord(x))
                                .append("\" y=\"")
                                .append(y - 6)
                                .append("\" width=\"18\" height=\"12\"/>");
            }
            svg.append("</g><text class=\"legend-text\" x=\"")
                    .append(Html.coord(x + 23))
                    .append("\" y=\"")
                    .append(y + 4)
                    .append("\">")
                    .append(Html.escape(e[2]))
                    .append("</text>");
            x += 23 + 6.4 * e[2].length() + 18;
        }
        svg.append("</g>");
    }

    private void yGrid(StringBuilder svg, double lo, double hi) {
        List<Double> ticks = new ArrayList<>();
        if (scale == Scale.LOG) {
            for (double t = lo; t <= hi * 1.0001; t *= 10) {
                ticks.add(t);
            }
        } else {
            double step = niceStep((hi - lo) / 5);
            for (double t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-6; t += step) {
                ticks.add(Math.abs(t) < step * 1e-9 ? 0 : t);
            }
        }
        for (double t : ticks) {
            String yy = Html.coord(y(t, lo, hi));
            svg.append("<line class=\"grid\" x1=\"")
                    .append(LEFT)
                    .append("\" x2=\"")
                    .append(LEFT + plotWidth())
                    .append("\" y1=\"")
                    .append(yy)
                    .append("\" y2=\"")
                    .append(yy)
                    .append("\"/>")
                    .append("<text class=\"tick\" x=\"")
                    .append(LEFT - 6)
                    .append("\" y=\"")
                    .append(yy)
                    .append("\" dy=\"0.32em\" text-anchor=\"end\">")
                    .append(Html.escape(tickLabel(t)))
                    .append("</text>");
        }
    }

    /** Decades below 0.001 read better as powers of ten than in scientific notation. */
    private String tickLabel(double t) {
        if (scale == Scale.LOG && t > 0 && t < 1e-3) {
            return "1e" + Math.round(Math.log10(t));
        }
        return Html.number(t);
    }

    private static final long[] TIME_STEPS = {
        1_000L,
        5_000L,
        15_000L,
        30_000L,
        60_000L,
        120_000L,
        300_000L,
        600_000L,
        900_000L,
        1_800_000L,
        3_600_000L,
        7_200_000L,
        10_800_000L,
        21_600_000L,
        43_200_000L,
        86_400_000L,
        172_800_000L,
        604_800_000L,
        1_209_600_000L,
        2_592_000_000L,
        7_776_000_000L,
        31_536_000_000L
    };

    private void xGrid(StringBuilder svg) {
        long span = xMax - xMin;
        long step = TIME_STEPS[TIME_STEPS.length - 1];
        for (long s : TIME_STEPS) {
            if (span / s <= 7) {
                step = s;
                break;
            }
        }
        String pattern;
        if (step >= 86_400_000L) {
            pattern = "yyyy-MM-dd";
        } else if (span > 86_400_000L) {
            pattern = "MM-dd HH:mm";
        } else if (step < 60_000L) {
            pattern = "HH:mm:ss";
        } else {
            pattern = "HH:mm";
        }
        DateTimeFormatter f = DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC);
        long first = Math.floorDiv(xMin + step - 1, step) * step;
        for (long t = first; t <= xMax; t += step) {
            String xx = Html.coord(x(t));
            svg.append("<line class=\"grid\" x1=\"")
                    .append(xx)
                    .append("\" x2=\"")
                    .append(xx)
                    .append("\" y1=\"")
                    .append(TOP)
                    .append("\" y2=\"")
                    .append(TOP + plotHeight())
                    .append("\"/>")
                    .append("<text class=\"tick\" x=\"")
                    .append(xx)
                    .append("\" y=\"")
                    .append(TOP + plotHeight() + 16)
                    .append("\" text-anchor=\"middle\">")
                    .append(f.format(Instant.ofEpochMilli(t)))
                    .append("</text>");
        }
        svg.append("<text class=\"axis-label\" x=\"")
                .append(LEFT + plotWidth())
                .append("\" y=\"")
                .append(HEIGHT - 2)
                .append("\" text-anchor=\"end\">UTC")
                .append(
                        span > Duration.ofDays(1).toMillis() || step >= 86_400_000L
                                ? ""
                                : ", "
                                        + DateTimeFormatter.ISO_LOCAL_DATE
                                                .withZone(ZoneOffset.UTC)
                                                .format(Instant.ofEpochMilli(xMin)))
                .append("</text>");
    }

    /**
     * The y range: fixed bounds where given, the data's range (padded, or decades on a log axis)
     * otherwise.
     */
    private double[] yRange() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        List<Double> values = new ArrayList<>();
        lines.forEach(l -> l.points().forEach(p -> values.add(p.value())));
        rules.forEach(r -> values.add(r.value()));
        bars.forEach(b -> values.add(b.value()));
        for (double v : values) {
            if (Double.isFinite(v) && (scale == Scale.LINEAR || v > 0)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (scale == Scale.LOG) {
            double lo =
                    Double.isNaN(yMin)
                            ? (min == Double.POSITIVE_INFINITY
                                    ? 1e-3
                                    : Math.pow(10, Math.floor(Math.log10(min))))
                            : yMin;
            double hi =
                    Double.isNaN(yMax)
                            ? (max == Double.NEGATIVE_INFINITY
                                    ? 1
                                    : Math.pow(10, Math.ceil(Math.log10(max))))
                            : yMax;
            return new double[] {lo, hi > lo ? hi : lo * 10};
        }
        if (!bars.isEmpty()) {
            min = Math.min(min, 0); // bars grow from zero
        }
        if (min == Double.POSITIVE_INFINITY) {
            min = 0;
            max = 1;
        }
        double pad = max > min ? (max - min) * 0.08 : Math.max(Math.abs(max) * 0.1, 0.01);
        double lo = Double.isNaN(yMin) ? (min >= 0 && min - pad < 0 ? 0 : min - pad) : yMin;
        double hi = Double.isNaN(yMax) ? max + pad : yMax;
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        double step = niceStep((hi - lo) / 5);
        return new double[] {
            Double.isNaN(yMin) ? Math.floor(lo / step) * step : lo,
            Double.isNaN(yMax) ? Math.ceil(hi / step) * step : hi
        };
    }

    static double niceStep(double rough) {
        if (!(rough > 0) || !Double.isFinite(rough)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double r = rough / magnitude;
        double nice = r <= 1 ? 1 : r <= 2 ? 2 : r <= 2.5 ? 2.5 : r <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    private double x(long t) {
        return LEFT + (double) (t - xMin) / (xMax - xMin) * plotWidth();
    }

    /**
     * Values outside the axis are drawn on its edge: a p-value of 1e-9 on a 1e-4 axis sits at the
     * bottom.
     */
    private double y(double v, double lo, double hi) {
        double f;
        if (scale == Scale.LOG) {
            double c = Math.min(Math.max(v, lo), hi);
            f = (Math.log10(c) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        } else {
            f = (Math.min(Math.max(v, lo), hi) - lo) / (hi - lo);
        }
        return TOP + (1 - f) * plotHeight();
    }
}
