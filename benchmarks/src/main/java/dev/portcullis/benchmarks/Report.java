package dev.portcullis.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Rows and target lines, rendered as Markdown. */
final class Report {
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> targets = new ArrayList<>();
    private final Map<Integer, long[]> floods = new LinkedHashMap<>();
    private String header = "";

    void header(boolean quick, int cores) {
        header = "Portcullis benchmarks (" + (quick ? "--quick" : "full run") + "), " + cores + " cores, "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", "
                + java.time.LocalDate.now() + "; load average at start " + loadAverage();
    }

    void row(String group, String what, String value, String unit, String note) {
        rows.add(new String[] {group, what, value, unit, note});
    }

    void target(String name, String value, String goal, boolean pass) {
        targets.add("TARGET " + name + ": " + value + " (" + goal + ") " + (pass ? "PASS" : "FAIL"));
    }

    void flood(int size, long rssKiB, long heapBytes) {
        floods.put(size, new long[] {rssKiB, heapBytes});
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(header).append("\n\n");
        sb.append("| Group | Measurement | Value | Unit | Notes |\n|---|---|---:|---|---|\n");
        for (String[] r : rows) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        List<String> all = new ArrayList<>(targets);
        if (floods.size() >= 2) {
            List<Integer> sizes = new ArrayList<>(floods.keySet());
            int small = sizes.get(0);
            int large = sizes.get(sizes.size() - 1);
            double growth = (double) floods.get(large)[0] / floods.get(small)[0];
            all.add("TARGET flood memory bounded (peak RSS " + large + " vs " + small + " clients): " + ratio(growth)
                    + "× (≤ 1.25×) " + (growth <= 1.25 ? "PASS" : "FAIL"));
        }
        sb.append('\n');
        for (String t : all) {
            sb.append(t).append('\n');
        }
        sb.append('\n').append("Load average at end ").append(loadAverage()).append('\n');
        return sb.toString();
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | UncheckedIOException e) {
            return "unknown";
        }
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String ratio(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String list(List<Double> values) {
        return values.stream().map(Report::ratio).reduce((a, b) -> a + ", " + b).orElse("");
    }
}
