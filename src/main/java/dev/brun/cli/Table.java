package dev.brun.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table for human output: left-aligned text, right-aligned numbers. */
public final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) { this.headers = List.of(headers); }

    public Table row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) r.add(c == null ? "" : c.toString());
        rows.add(r);
        return this;
    }

    public boolean isEmpty() { return rows.isEmpty(); }

    public void print(PrintWriter out) {
        int n = headers.size();
        int[] width = new int[n];
        boolean[] numeric = new boolean[n];
        for (int i = 0; i < n; i++) { width[i] = headers.get(i).length(); numeric[i] = !rows.isEmpty(); }
        for (List<String> r : rows)
            for (int i = 0; i < n && i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
                if (!r.get(i).isEmpty() && !r.get(i).matches("[-+$]?[0-9][0-9,.]*%?x?")) numeric[i] = false;
            }
        line(out, headers, width, numeric);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < n; i++) rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        out.println(rule);
        for (List<String> r : rows) line(out, r, width, numeric);
        out.flush();
    }

    private static void line(PrintWriter out, List<String> cells, int[] width, boolean[] numeric) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            if (i > 0) sb.append("  ");
            String pad = " ".repeat(width[i] - c.length());
            sb.append(numeric[i] ? pad + c : c + (i == width.length - 1 ? "" : pad));
        }
        out.println(sb.toString().stripTrailing());
    }
}
