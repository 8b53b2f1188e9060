package dev.autodiff.examples;

import dev.autodiff.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** Writes XChart charts to PNG files. */
final class Plots {
  private static final String TICKS = "#,##0.###";

  private Plots() {}

  /**
   * An empty 640×400 line chart with the given titles and the legend inside, top right.
   */
  static XYChart chart(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(640).height(400).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    return chart;
  }

  /**
   * Saves chart as path (a .png name), creating its directory. Tick labels get at most three
   * decimals: XChart would otherwise label a lone point with all 15 digits of its value.
   */
  static Path png(XYChart chart, Path path) throws IOException {
    System.setProperty("java.awt.headless", "true");
    chart.getStyler().setXAxisDecimalPattern(TICKS).setYAxisDecimalPattern(TICKS);
    AtomicFiles.write(path, out -> BitmapEncoder.saveBitmap(chart, out, BitmapFormat.PNG));
    return path;
  }
}
