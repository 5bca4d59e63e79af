package dev.brun.web;

import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One bar chart of the dashboard: its points travel to the page as JSON in a data attribute, and the vendored
 * Chart.js (static/vendor) draws them; the same points are written inside the canvas as plain text for
 * readers without canvas. Columns suit histograms and days, rows suit long labels (flag codes, phases).
 */
record Chart(String title, List<Point> points, boolean horizontal, int height) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final int ROW_HEIGHT = 26;

    /** label under/beside the bar, value its length, valueText what is written on it. */
    record Point(String label, double value, String valueText) {}

    boolean empty() { return points.isEmpty(); }

    /** Vertical columns (histograms, spend per day). */
    static Chart columns(String title, List<Point> points, int height) {
        return new Chart(title, List.copyOf(points), false, height);
    }

    /** Horizontal rows: long labels stay readable. */
    static Chart rows(String title, List<Point> points) {
        return new Chart(title, List.copyOf(points), true, Math.max(points.size() * ROW_HEIGHT + 24, 60));
    }

    /** What app.js hands to Chart.js. */
    String json() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("horizontal", horizontal);
        data.put("labels", points.stream().map(Point::label).toList());
        data.put("values", points.stream().map(Point::value).toList());
        data.put("texts", points.stream().map(Point::valueText).toList());
        return JSON.writeValueAsString(data);
    }
}
