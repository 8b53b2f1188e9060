package dev.autodiff.core.ops;

import dev.autodiff.core.Node;
import org.ejml.data.DMatrixRMaj;

/** Elementwise binary ops with broadcasting; a broadcast operand's gradient is summed back. */
public final class Binary extends FreshGradient.Claiming {
  /** y = a + b;  a ← g ;  b ← g. */
  public static final Binary ADD = new Binary(Broadcast.ADD, "add", "{g}", "{g}");
  /** y = a − b;  a ← g ;  b ← −g. */
  public static final Binary SUB = new Binary(Broadcast.SUB, "sub", "{g}", "−{g}");
  /** y = a ⊙ b;  a ← g ⊙ b ;  b ← g ⊙ a. */
  public static final Binary MUL = new Binary(Broadcast.MUL, "mul", "{g} ⊙ {1}", "{g} ⊙ {0}");
  /** y = a ⊘ b;  a ← g ⊘ b ;  b ← −g ⊙ y ⊘ b. */
  public static final Binary DIV =
      new Binary(Broadcast.DIV, "div", "{g} ⊘ {1}", "−{g} ⊙ {y} ⊘ {1}");

  private final int kind;
  private final String name;
  private final String[] formulas;

  private Binary(int kind, String name, String... formulas) {
    this.kind = kind;
    this.name = name;
    this.formulas = formulas;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DMatrixRMaj forward(Node... x) {
    Ops.arity(this, x, 2);
    int[] shape = Broadcast.shape(name, x[0], x[1]);
    return Ops.value(this, x, shape[0], shape[1]);
  }

  @Override
  public void recompute(Node[] x, DMatrixRMaj y) {
    DMatrixRMaj b = x[1].value();
    if (kind == Broadcast.DIV) {
      for (int k = 0; k < b.getNumElements(); k++) {
        if (b.data[k] == 0) {
          throw new ArithmeticException("div: divisor " + x[1].name() + " is 0 at ("
              + k / b.numCols + ", " + k % b.numCols + ")");
        }
      }
    }
    Broadcast.apply(kind, x[0].value(), b, y);
  }

  @Override
  public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj gx0,
      DMatrixRMaj gx1) {
    DMatrixRMaj a = x[0].value();
    DMatrixRMaj b = x[1].value();
    switch (kind) {
      case Broadcast.ADD, Broadcast.SUB -> {
        if (gx0 != null) {
          Broadcast.reduce(g, 1, gx0, FreshGradient.claim(gx0));
        }
        if (gx1 != null) {
          Broadcast.reduce(g, kind == Broadcast.ADD ? 1 : -1, gx1, FreshGradient.claim(gx1));
        }
      }
      case Broadcast.MUL -> {
        FreshGradient.settle(gx0); // these add: zeros first
        FreshGradient.settle(gx1);
        DMatrixRMaj t = new DMatrixRMaj(g.numRows, g.numCols);
        if (gx0 != null) {
          Broadcast.apply(Broadcast.MUL, g, b, t);
          Broadcast.addReduced(t, 1, gx0);
        }
        if (gx1 != null) {
          Broadcast.apply(Broadcast.MUL, g, a, t);
          Broadcast.addReduced(t, 1, gx1);
        }
      }
      default -> {
        FreshGradient.settle(gx0);
        FreshGradient.settle(gx1);
        DMatrixRMaj t = new DMatrixRMaj(g.numRows, g.numCols);
        if (gx0 != null) {
          Broadcast.apply(Broadcast.DIV, g, b, t);
          Broadcast.addReduced(t, 1, gx0);
        }
        if (gx1 != null) {
          Broadcast.apply(Broadcast.MUL, g, y, t);
          Broadcast.apply(Broadcast.DIV, t, b, t);
          Broadcast.addReduced(t, -1, gx1);
        }
      }
    }
  }

  @Override
  public String gradientFormula(int i) {
    return formulas[i];
  }
}
