package dev.autodiff.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** Writes XChart charts to PNG files. */
final class Plots {
  private Plots() {}

  /**
   * An empty 640×400 line chart with the given titles, its tick labels short (at most one decimal
   * on x, for epochs; two on y) and the legend inside, top right.
   */
  static XYChart chart(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(640).height(400).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    chart.getStyler().setXAxisDecimalPattern("0.#").setYAxisDecimalPattern("0.00")
        .setLegendPosition(Styler.LegendPosition.InsideNE);
    return chart;
  }

  /** Saves chart as path (a .png name), creating its directory. */
  static Path png(XYChart chart, Path path) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(path.toAbsolutePath().getParent());
    String name = path.toString();
    BitmapEncoder.saveBitmap(chart, name.endsWith(".png") ? name.substring(0, name.length() - 4)
        : name, BitmapEncoder.BitmapFormat.PNG);
    return path;
  }
}
