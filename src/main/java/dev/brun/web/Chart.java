package dev.brun.web;

import java.util.ArrayList;
import java.util.List;

/**
 * A bar chart laid out for inline SVG: the server computes every rectangle, the template only draws them,
 * so the page needs no chart script and works offline.
 */
record Chart(String title, List<Bar> bars, int width, int height, boolean horizontal) {
    /** One bar with its label, the value shown beside it, and its rectangle in SVG user units. */
    record Bar(String label, String valueText, double x, double y, double w, double h, double labelX, double labelY,
               double valueX, double valueY) {}

    record Point(String label, double value, String valueText) {}

    static final int ROW_HEIGHT = 22;
    static final int LABEL_WIDTH = 170;

    boolean empty() { return bars.isEmpty(); }

    /** Vertical columns (histograms, spend per day). */
    static Chart columns(String title, List<Point> points) { return columns(title, points, 360); }

    /** Vertical columns in a box of the given width (smaller boxes draw larger text when scaled up). */
    static Chart columns(String title, List<Point> points, int width) {
        int height = Math.max(130, width * 17 / 36), top = 18, bottom = 22;
        double max = points.stream().mapToDouble(Point::value).max().orElse(0);
        List<Bar> bars = new ArrayList<>();
        double slot = points.isEmpty() ? 0 : (double) width / points.size();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            double h = max <= 0 ? 0 : (height - top - bottom) * p.value() / max;
            double x = i * slot + slot * 0.12;
            double y = height - bottom - h;
            bars.add(new Bar(p.label(), p.valueText(), x, y, slot * 0.76, h, i * slot + slot / 2, height - 6,
                    i * slot + slot / 2, y - 4));
        }
        return new Chart(title, bars, width, height, false);
    }

    /** Horizontal rows (flags by kind, spend by phase): long labels stay readable. */
    static Chart rows(String title, List<Point> points) {
        int width = 360;
        double max = points.stream().mapToDouble(Point::value).max().orElse(0);
        double room = width - LABEL_WIDTH - 60;
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            double w = max <= 0 ? 0 : room * p.value() / max;
            double y = i * ROW_HEIGHT + 4;
            bars.add(new Bar(p.label(), p.valueText(), LABEL_WIDTH, y, Math.max(w, 1), ROW_HEIGHT - 8,
                    LABEL_WIDTH - 6, y + ROW_HEIGHT / 2.0, LABEL_WIDTH + w + 5, y + ROW_HEIGHT / 2.0));
        }
        return new Chart(title, bars, width, Math.max(points.size() * ROW_HEIGHT + 8, 30), true);
    }
}
