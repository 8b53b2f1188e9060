package dev.autodiff.core.ops;

import dev.autodiff.core.Node;
import java.util.function.DoublePredicate;
import org.ejml.data.DMatrixRMaj;

/**
 * Elementwise unary ops y = f(x): each one's forward and local gradient side by side, as loops
 * over whole arrays (one virtual call per op, none per element).
 */
public abstract class Elementwise extends FreshGradient.Claiming {
  /** Null for scale until asked for: formatting α on every call would cost more than the op. */
  private String name;
  private String formula;

  /** The op writes a buffer it is first to fill in one pass ({@link #dfFirst} overridden). */
  private final boolean writesFirst;

  private Elementwise(String name, String formula) {
    this(name, formula, false);
  }

  private Elementwise(String name, String formula, boolean writesFirst) {
    this.name = name;
    this.formula = formula;
    this.writesFirst = writesFirst;
  }

  /** The name and formula of an op made per call, built when first asked for. */
  String[] describe() {
    throw new AssertionError();
  }

  /** y[k] = f(x[k]) for k &lt; n. */
  abstract void f(double[] x, double[] y, int n);

  /** gx[k] += g[k]·f'(x[k]), using y[k] = f(x[k]) where that is cheaper. */
  abstract void df(double[] g, double[] x, double[] y, double[] gx, int n);

  /**
   * gx[k] = g[k]·f'(x[k]) over whatever gx held: a buffer the op is first to fill. Overridden, with
   * writesFirst set, by an op common between layers (relu); the others add to settled zeros.
   */
  void dfFirst(double[] g, double[] x, double[] y, double[] gx, int n) {
    throw new AssertionError(name() + " does not write first");
  }

  @Override
  public final String name() {
    if (name == null) {
      String[] d = describe();
      formula = d[1];
      name = d[0];
    }
    return name;
  }

  @Override
  public final DMatrixRMaj forward(Node... x) {
    Ops.arity(this, x, 1);
    return Ops.value(this, x, x[0].rows(), x[0].cols());
  }

  @Override
  public final void recompute(Node[] x, DMatrixRMaj y) {
    check(x[0]);
    f(x[0].value().data, y.data, y.getNumElements());
  }

  /** Rejects inputs outside the op's domain. */
  void check(Node x) {}

  /** Throws unless every entry of x is in the domain: "log: z has 0.0 at (0, 1); log needs …". */
  final void requireEvery(Node x, DoublePredicate inDomain, String domain) {
    DMatrixRMaj a = x.value();
    for (int k = 0; k < a.getNumElements(); k++) {
      if (!inDomain.test(a.data[k])) {
        throw new ArithmeticException(name() + ": " + x.name() + " has " + a.data[k] + " at ("
            + k / a.numCols + ", " + k % a.numCols + "); " + name() + " needs every entry "
            + domain);
      }
    }
  }

  @Override
  public final void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj gx0,
      DMatrixRMaj gx1) {
    if (gx0 != null) {
      double[] a = x[0].value().data;
      if (writesFirst && FreshGradient.claim(gx0)) {
        dfFirst(g.data, a, y.data, gx0.data, y.getNumElements());
      } else {
        FreshGradient.settle(gx0);
        df(g.data, a, y.data, gx0.data, y.getNumElements());
      }
    }
  }

  @Override
  public final String gradientFormula(int i) {
    name();
    return formula;
  }

  /** y = α x;  x ← α g. α must be finite. */
  public static Elementwise scale(double alpha) {
    if (!Double.isFinite(alpha)) {
      throw new IllegalArgumentException("scale: α must be finite, got " + alpha);
    }
    return new Elementwise(null, null) {
      @Override
      String[] describe() {
        return new String[] {"scale(" + alpha + ")", alpha + "·{g}"};
      }

      @Override
      void f(double[] x, double[] y, int n) {
        for (int k = 0; k < n; k++) {
          y[k] = alpha * x[k];
        }
      }

      @Override
      void df(double[] g, double[] x, double[] y, double[] gx, int n) {
        for (int k = 0; k < n; k++) {
          gx[k] += alpha * g[k];
        }
      }
    };
  }

  /** y = −x;  x ← −g. */
  public static final Elementwise NEG = new Elementwise("neg", "−{g}") {
    @Override
    void f(double[] x, double[] y, int n) {
      for (int k = 0; k < n; k++) {
        y[k] = -x[k];
      }
    }

    @Override
    void df(double[] g, double[] x, double[] y, double[] gx, int n) {
      for (int k = 0; k < n; k++) {
        gx[k] -= g[k];
      }
    }
  };

  /** y = x²;  x ← 2x ⊙ g. */
  public static final Elementwise SQUARE = new Elementwise("square", "{g} ⊙ 2{0}") {
    @Override
    void f(double[] x, double[] y, int n) {
      for (int k = 0; k < n; k++) {
        y[k] = x[k] * x[k];
      }
    }

    @Override
    void df(double[] g, double[] x, double[] y, double[] gx, int n) {
      for (int k = 0; k < n; k++) {
        gx[k] += 2 * x[k] * g[k];
      }
    }
  };

  /** y = max(0, x);  x ← g ⊙ [x &gt; 0]. At exactly 0 the derivative is taken as 0, as PyTorch does. */
  public static final Elementwise RELU = new Elementwise("relu", "{g} ⊙ ReLU'({0})", true) {
    @Override
    void f(double[] x, double[] y, int n) {
      // no branch: half the signs of a layer's input are random, and mispredictions cost more
      // than the arithmetic. Math.max passes a NaN through rather than making it 0.
      for (int k = 0; k < n; k++) {
        y[k] = Math.max(x[k], 0.0);
      }
    }

    @Override
    void df(double[] g, double[] x, double[] y, double[] gx, int n) {
      // g where x > 0, as a bit mask: all ones when x's bits, read as a long, are above 0 (x > 0,
      // and not −0); the JIT vectorises this, and it is 3–5× faster than a compare per entry
      for (int k = 0; k < n; k++) {
        long bits = Double.doubleToRawLongBits(x[k]);
        long positive = (~bits & -bits) >> 63;
        gx[k] += Double.longBitsToDouble(Double.doubleToRawLongBits(g[k]) & positive);
      }
    }

    @Override
    void dfFirst(double[] g, double[] x, double[] y, double[] gx, int n) {
      for (int k = 0; k < n; k++) {
        long bits = Double.doubleToRawLongBits(x[k]);
        long positive = (~bits & -bits) >> 63;
        gx[k] = Double.longBitsToDouble(Double.doubleToRawLongBits(g[k]) & positive);
      }
    }
  };

  /** y = 1/(1 + e^(−x));  x ← g ⊙ y(1 − y). */
  public static final Elementwise SIGMOID = new Elementwise("sigmoid", "{g} ⊙ {y}(1 − {y})") {
    @Override
    void f(double[] x, double[] y, int n) {
      for (int k = 0; k < n; k++) {
        // e^(−|x|) never overflows, so both branches stay finite for any logit
        double e = Math.exp(-Math.abs(x[k]));
        y[k] = x[k] >= 0 ? 1 / (1 + e) : e / (1 + e);
      }
    }

    @Override
    void df(double[] g, double[] x, double[] y, double[] gx, int n) {
      for (int k = 0; k < n; k++) {
        gx[k] += g[k] * y[k] * (1 - y[k]);
      }
    }
  };

  /** y = tanh x;  x ← g ⊙ (1 − y²). */
  public static final Elementwise TANH = new Elementwise("tanh", "{g} ⊙ (1 − {y}²)") {
    @Override
    void f(double[] x, double[] y, int n) {
      for (int k = 0; k < n; k++) {
        y[k] = Math.tanh(x[k]);
      }
    }

    @Override
    void df(double[] g, double[] x, double[] y, double[] gx, int n) {
      for (int k = 0; k < n; k++) {
        gx[k] += g[k] * (1 - y[k] * y[k]);
      }
    }
  };

  /** y = eˣ;  x ← g ⊙ y. */
  public static final Elementwise EXP = new Elementwise("exp", "{g} ⊙ {y}") {
    @Override
    void f(double[] x, double[] y, int n) {
      for (int k = 0; k < n; k++) {
        y[k] = Math.exp(x[k]);
      }
    }

    @Override
    void df(double[] g, double[] x, double[] y, double[] gx, int n) {
      for (int k = 0; k < n; k++) {
        gx[k] += g[k] * y[k];
      }
    }
  };

  /** y = ln x for x &gt; 0;  x ← g ⊘ x. */
  public static final Elementwise LOG = new Elementwise("log", "{g} ⊘ {0}") {
    @Override
    void check(Node x) {
      requireEvery(x, v -> v > 0, "> 0"); // a NaN fails too
    }

    @Override
    void f(double[] x, double[] y, int n) {
      for (int k = 0; k < n; k++) {
        y[k] = Math.log(x[k]);
      }
    }

    @Override
    void df(double[] g, double[] x, double[] y, double[] gx, int n) {
      for (int k = 0; k < n; k++) {
        gx[k] += g[k] / x[k];
      }
    }
  };

  /**
   * y = √x for x ≥ 0;  x ← g ⊘ 2y, and 0 where y = 0: 1/(2√x) is unbounded there, and 0 (a
   * convention, as for the norm) keeps √(x²) = |x| at its subgradient 0 instead of ∞·0 = NaN.
   */
  public static final Elementwise SQRT = new Elementwise("sqrt", "{g} ⊘ 2{y}") {
    @Override
    void check(Node x) {
      requireEvery(x, v -> v >= 0, "≥ 0");
    }

    @Override
    void f(double[] x, double[] y, int n) {
      for (int k = 0; k < n; k++) {
        y[k] = Math.sqrt(x[k]);
      }
    }

    @Override
    void df(double[] g, double[] x, double[] y, double[] gx, int n) {
      for (int k = 0; k < n; k++) {
        if (y[k] > 0) {
          gx[k] += g[k] / (2 * y[k]);
        }
      }
    }
  };
}
