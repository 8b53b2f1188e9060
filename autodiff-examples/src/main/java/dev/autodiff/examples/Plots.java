package dev.autodiff.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/** Writes XChart charts to PNG files. */
final class Plots {
  private Plots() {}

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
