package dev.autodiff.examples;

import dev.autodiff.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;

/** Writes XChart charts to PNG files. */
final class Plots {
  private static final String TICKS = "#,##0.###";

  private Plots() {}

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
