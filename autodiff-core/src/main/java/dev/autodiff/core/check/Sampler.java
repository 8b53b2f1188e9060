package dev.autodiff.core.check;

import dev.autodiff.core.Domain;
import dev.autodiff.core.Node;
import dev.autodiff.core.Op;
import dev.autodiff.core.Primitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Where an op check draws an input's values: magnitudes in [0.1, 2] of either sign (only positive
 * when an op reading the input needs it ≥ 0 or &gt; 0), or a range the caller gives; and at least
 * {@link #MARGIN} from every kink the reading ops declare ({@link Primitive#kinks}) or the caller
 * names. Zero is the edge of every domain and where most ops' derivatives jump or blow up (relu,
 * |x|, 1/x, log, √x), so the default draws stay away from it, declared or not.
 */
final class Sampler {
  /** The least distance from a kink or a domain's edge: far beyond ε, and still general. */
  static final double MARGIN = 0.1;
  static final double LARGEST = 2;
  private static final int TRIES = 1000;

  private boolean positive;
  private boolean restricted;
  private double lo = Double.NaN;
  private double hi = Double.NaN;
  private final List<Double> kinks = new ArrayList<>();
  private final List<String> readers = new ArrayList<>();

  /** Takes in the domain and kinks of an op reading the input as its input k. */
  void readBy(Op op, int k) {
    if (!(op instanceof Primitive p)) {
      readers.add(op.name() + " (declares neither domain nor kinks)");
      return;
    }
    Domain d = p.domain(k);
    positive |= d == Domain.POSITIVE || d == Domain.NON_NEGATIVE;
    restricted |= d != Domain.ANY;
    for (double kink : p.kinks(k)) {
      kinks.add(kink);
    }
    readers.add(op.name() + (d == Domain.ANY ? "" : " (" + d + ")"));
  }

  /** Draws from [lo, hi] instead of the default magnitudes, kinks still avoided. */
  void range(double lo, double hi) {
    this.lo = lo;
    this.hi = hi;
  }

  void avoid(double... points) {
    for (double p : points) {
      kinks.add(p);
    }
  }

  /** Takes in another sampler's constraints: one node read as several inputs meets them all. */
  void and(Sampler other) {
    positive |= other.positive;
    restricted |= other.restricted;
    kinks.addAll(other.kinks);
    readers.addAll(other.readers);
    if (!Double.isNaN(other.lo)) {
      lo = Double.isNaN(lo) ? other.lo : Math.max(lo, other.lo);
      hi = Double.isNaN(hi) ? other.hi : Math.min(hi, other.hi);
    }
  }

  /** A rows×cols matrix of draws; throws, naming the input, when the constraints leave no room. */
  DMatrixRMaj draw(String input, int rows, int cols, Random random) {
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    for (int k = 0; k < m.getNumElements(); k++) {
      m.data[k] = drawOne(input, random);
    }
    return m;
  }

  private double drawOne(String input, Random random) {
    for (int t = 0; t < TRIES; t++) {
      double v;
      if (!Double.isNaN(lo)) {
        v = lo + (hi - lo) * random.nextDouble();
      } else {
        v = MARGIN + (LARGEST - MARGIN) * random.nextDouble();
        v = positive || random.nextBoolean() ? v : -v;
      }
      if (farFromKinks(v)) {
        return v;
      }
    }
    throw new IllegalArgumentException("OpCheck: cannot draw " + input + " from " + describe()
        + ": give it a wider range(…)");
  }

  private boolean farFromKinks(double v) {
    for (double kink : kinks) {
      if (Math.abs(v - kink) < MARGIN) {
        return false;
      }
    }
    // a range the caller gives may reach a domain's edge, 0: keep away from it too
    return Double.isNaN(lo) || !restricted || Math.abs(v) >= MARGIN;
  }

  /** E.g. "±[0.1, 2] at least 0.1 from 1.5 (read by log (POSITIVE))". */
  String describe() {
    String from = !Double.isNaN(lo) ? "[" + lo + ", " + hi + "]"
        : (positive ? "" : "±") + "[" + MARGIN + ", " + (int) LARGEST + "]";
    StringBuilder s = new StringBuilder(from);
    if (!kinks.isEmpty()) {
      s.append(" at least ").append(MARGIN).append(" from ").append(kinks);
    }
    if (!readers.isEmpty()) {
      s.append(" (read by ").append(String.join(", ", readers)).append(')');
    }
    return s.toString();
  }

  /** The samplers of a function's inputs, from the ops that read each input node directly. */
  static List<Sampler> of(List<Node> tape, List<Node> inputs) {
    List<Sampler> out = new ArrayList<>();
    for (Node x : inputs) {
      Sampler s = new Sampler();
      for (Node n : tape) {
        for (int k = 0; n.op() != null && k < n.arity(); k++) {
          if (n.input(k) == x) {
            s.readBy(n.op(), k);
          }
        }
      }
      out.add(s);
    }
    return out;
  }
}
