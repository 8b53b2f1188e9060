package dev.autodiff.nn;

import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import dev.autodiff.core.check.GradientCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.ejml.data.DMatrixRMaj;

/** Gradient checks of recurrent modules: their parameters and inputs as the checker's variables. */
final class RecurrentChecks {
  private RecurrentChecks() {}

  /** Every parameter of m by its own name, then the inputs. Not copied. */
  static Map<String, DMatrixRMaj> named(Module m, Map<String, DMatrixRMaj> inputs) {
    Map<String, DMatrixRMaj> all = new LinkedHashMap<>();
    m.parameters().forEach(p -> all.put(p.name(), p.value()));
    all.putAll(inputs);
    return all;
  }

  /** The parameters of m bound to the checker's variables of the same names. */
  static Bindings bind(Map<String, Node> v) {
    return Bindings.using(v.values().iterator().next().tape(), p -> v.get(p.name()));
  }

  /** Σ R ⊙ y with R seeded in (−1, 1): a scalar that weighs every entry of y differently. */
  static Node weighted(Node y, long seed) {
    return y.mul(y.tape().constant("R", Matrices.random(new Random(seed), y.rows(), y.cols())))
        .sum();
  }

  /**
   * The inputs of one step of cell on n rows, seeded: x, h, and c for a cell with a memory.
   */
  static Map<String, DMatrixRMaj> stepInputs(RecurrentCell cell, int n, long seed) {
    Random r = new Random(seed);
    Map<String, DMatrixRMaj> in = new LinkedHashMap<>();
    in.put("x", Matrices.random(r, n, cell.inputWidth()));
    in.put("h", Matrices.random(r, n, cell.hiddenWidth()));
    if (cell.hasMemory()) {
      in.put("c", Matrices.random(r, n, cell.hiddenWidth()));
    }
    return in;
  }

  /** J = Σ R ⊙ h' (+ Σ R' ⊙ c') of one step of cell, a function of its parameters and inputs. */
  static Function<Map<String, Node>, Node> step(RecurrentCell cell) {
    return v -> {
      RecurrentCell.State s = cell.step(v.get("x"), new RecurrentCell.State(v.get("h"),
          v.get("c")), bind(v));
      Node J = weighted(s.h(), 1);
      return s.c() == null ? J : J.add(weighted(s.c(), 2));
    };
  }

  /** First- and second-order checks of one step of cell on n rows, every element. */
  static void checkStep(RecurrentCell cell, int n) {
    Map<String, DMatrixRMaj> inputs = named(cell, stepInputs(cell, n, 11));
    GradientCheck.defaults().checkNamed(step(cell), inputs).assertPassed();
    GradientCheck.defaults().checkSecondOrderNamed(step(cell), inputs).assertPassed();
  }

  /** Σⱼ x[n][j]·W[k][j]: entry (n, k) of x Wᵀ, by hand. */
  static double dot(DMatrixRMaj x, int n, DMatrixRMaj W, int k) {
    double s = 0;
    for (int j = 0; j < x.numCols; j++) {
      s += x.get(n, j) * W.get(k, j);
    }
    return s;
  }

  /** One step of cell, on the inputs of {@link #stepInputs} bound as constants. */
  static RecurrentCell.State stepOn(RecurrentCell cell, Map<String, DMatrixRMaj> in) {
    Tape tape = new Tape();
    Node c = in.containsKey("c") ? tape.constant("c", in.get("c")) : null;
    return cell.step(tape.constant("x", in.get("x")),
        new RecurrentCell.State(tape.constant("h", in.get("h")), c), Bindings.constants(tape));
  }
}
