package org.hvkit.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's line charts, written as PNG with JFreeChart. Needs {@code java.awt.headless=true}
 * on a machine without a display; {@link RunAndReport} sets it.
 *
 * <p>Thread-safety: stateless.
 */
final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    /** Dark enough to tell apart on white: red, blue, green, purple, orange. */
    private static final Color[] PALETTE = {new Color(0xC0392B), new Color(0x2E5AAC), new Color(0x1E8449),
        new Color(0x7D3C98), new Color(0xD35400)};

    private Charts() {
    }

    /**
     * One line per series, points marked.
     *
     * @param series name to points, each point {x, y}
     * @param logX whether the x axis is logarithmic (x must then be positive)
     * @param logY whether the y axis is logarithmic
     */
    static void lines(Path png, String title, String xLabel, String yLabel, Map<String, double[][]> series,
            boolean logX, boolean logY) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey());
            for (double[] point : e.getValue()) {
                if (Double.isFinite(point[1])) {
                    s.add(point[0], point[1]);
                }
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainAxis(axis(xLabel, logX));
        plot.setRangeAxis(axis(yLabel, logY));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        plot.setRenderer(renderer);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    private static ValueAxis axis(String label, boolean log) {
        DecimalFormat plain = new DecimalFormat("#,##0.##");
        if (log) {
            LogAxis axis = new LogAxis(label);
            axis.setBase(10);
            axis.setNumberFormatOverride(plain);
            axis.setAutoRange(true);
            // One tick per decade: 1, 10, 100... rather than fractional powers.
            axis.setTickUnit(new NumberTickUnit(1.0, plain), false, false);
            axis.setAutoTickUnitSelection(false);
            return axis;
        }
        NumberAxis axis = new NumberAxis(label);
        axis.setNumberFormatOverride(plain);
        axis.setAutoRangeIncludesZero(true);
        return axis;
    }
}
