package io.modelmonitor.pipeline.report;

import java.util.Locale;

/**
 * Escaping and number formatting shared by the page and its SVG charts.
 *
 * <p>Every string that comes from a report or alert record (model names, messages, detector names)
 * passes through {@link #escape} before it reaches the page: the records come from whoever can
 * write to the report topic, so a model called {@code <script>} must render as text. The escaped
 * form is valid both in HTML text and in double- or single-quoted attribute values, and inside
 * inline SVG.
 */
final class Html {
    private Html() {}

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    // Control characters other than tab/newline are not allowed in HTML text.
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        sb.append('\uFFFD');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** A coordinate for SVG: two decimals are finer than a pixel and keep the page small. */
    static String coord(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /**
     * A statistic for people: p-values keep their small magnitudes visible, other values 3-4
     * digits.
     */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a < 1e-3 || a >= 1e6) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        if (a < 1) {
            return String.format(Locale.ROOT, "%.4f", v)
                    .replaceAll("0+$", "")
                    .replaceAll("\\.$", "");
        }
        if (a == Math.rint(a)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    static String percent(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
