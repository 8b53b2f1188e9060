package dev.autodiff.examples;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Seed 003's step-size example: gradient descent x^{k+1} = x^k − η ∇f(x^k) on
 * f(x₁, x₂) = x₁² + x₁x₂ + 4x₂² from (3, 3) with η = 0.1 and η = 0.2, ∇f from the tape; iterates
 * printed, contours and both paths plotted.
 */
final class StepSize {
  static final double EPSILON1 = 1e-6;
  static final double EPSILON2 = 1e-4;
  static final int MAX_STEPS = 200;

  private StepSize() {}

  /** One iterate: x, f(x) and ∇f(x). */
  record Point(double x1, double x2, double f, double g1, double g2) {
    double gradientNorm() {
      return Math.hypot(g1, g2);
    }
  }

  /** f and ∇f at (x1, x2), on a fresh tape. */
  static Point evaluate(double x1, double x2) {
    try (Tape tape = new Tape()) {
      Node a = tape.variable("x1", new DMatrixRMaj(1, 1, true, x1));
      Node b = tape.variable("x2", new DMatrixRMaj(1, 1, true, x2));
      Node f = a.square().add(a.mul(b)).add(b.square().scale(4)).named("f");
      Gradients g = tape.backward(f);
      return new Point(x1, x2, f.scalar(), g.get(a).get(0, 0), g.get(b).get(0, 0));
    }
  }

  /** Iterates from (3, 3) until |f(x^{k+1}) − f(x^k)| &lt; ε₁ or ‖∇f‖ &lt; ε₂. */
  static List<Point> descend(double eta) {
    List<Point> path = new ArrayList<>();
    Point p = evaluate(3, 3);
    path.add(p);
    for (int k = 0; k < MAX_STEPS && p.gradientNorm() >= EPSILON2; k++) {
      Point next = evaluate(p.x1() - eta * p.g1(), p.x2() - eta * p.g2());
      path.add(next);
      boolean flat = Math.abs(next.f() - p.f()) < EPSILON1;
      p = next;
      if (flat) {
        break;
      }
    }
    return path;
  }

  static void run(String[] args, PrintStream out) throws IOException {
    Options o = new Options(args, Set.of("out"));
    Path dir = o.path("out", "target/examples");
    out.printf("f(x₁, x₂) = x₁² + x₁x₂ + 4x₂², x⁰ = (3, 3), ∇f from the tape; stop when "
        + "|f(x^{k+1}) − f(x^k)| < %.0e or ‖∇f‖ < %.0e%n", EPSILON1, EPSILON2);
    XYChart chart = contours();
    for (double eta : new double[] {0.1, 0.2}) {
      List<Point> path = descend(eta);
      out.printf("%nη = %s%n    k         x₁         x₂            f       ‖∇f‖%n", eta);
      for (int k = 0; k < path.size(); k++) {
        Point p = path.get(k);
        out.printf("  %3d  %9.5f  %9.5f  %11.6f  %9.2e%n", k, p.x1(), p.x2(), p.f(),
            p.gradientNorm());
      }
      out.printf("η = %s: %d steps to (%.5f, %.5f)%n", eta, path.size() - 1,
          path.get(path.size() - 1).x1(), path.get(path.size() - 1).x2());
      XYSeries s = chart.addSeries("η = " + eta, path.stream().mapToDouble(Point::x1).toArray(),
          path.stream().mapToDouble(Point::x2).toArray());
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setLineColor(eta == 0.1 ? new Color(0, 90, 200) : new Color(210, 60, 20));
      s.setMarkerColor(s.getLineColor());
    }
    out.println();
    out.println("wrote " + Plots.png(chart, dir.resolve("step-size.png")));
  }

  /** Level sets f = c are ellipses: along a unit direction d, f(r·d) = r²·f(d). */
  static XYChart contours() {
    XYChart chart = new XYChartBuilder().width(760).height(640)
        .title("Gradient descent on f = x₁² + x₁x₂ + 4x₂² from (3, 3)").xAxisTitle("x₁")
        .yAxisTitle("x₂").build();
    XYStyler style = chart.getStyler();
    style.setXAxisMin(-4.0);
    style.setXAxisMax(4.0);
    style.setYAxisMin(-3.5);
    style.setYAxisMax(3.5);
    style.setMarkerSize(5);
    style.setChartBackgroundColor(Color.WHITE);
    style.setPlotGridLinesVisible(false);
    for (double c : new double[] {0.1, 0.5, 1.5, 4, 8, 15, 25, 40, 54}) {
      int n = 200;
      double[] x = new double[n + 1];
      double[] y = new double[n + 1];
      for (int i = 0; i <= n; i++) {
        double t = 2 * Math.PI * i / n;
        double dx = Math.cos(t);
        double dy = Math.sin(t);
        double r = Math.sqrt(c / (dx * dx + dx * dy + 4 * dy * dy));
        x[i] = r * dx;
        y[i] = r * dy;
      }
      XYSeries s = chart.addSeries("f = " + c, x, y);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(new Color(170, 170, 170));
      s.setShowInLegend(false);
    }
    return chart;
  }
}
