package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Anomaly detection: off by default; when on, the first NaN or ±∞ throws where it is made. */
class AnomalyTest {
  static final String HERE = "dev.autodiff.core.AnomalyTest.";

  static Node row(Tape tape, String name, double... v) {
    return tape.variable(name, new DMatrixRMaj(1, v.length, true, v));
  }

  /** The message with the line number of the call site cut off. */
  static String withoutLine(String message) {
    return message.replaceAll("\\(AnomalyTest\\.java:\\d+\\)$", "(AnomalyTest.java)");
  }

  @Test
  void offByDefaultSoInfinityAndNaNPropagate() {
    Tape tape = new Tape();
    assertFalse(tape.detectsAnomalies());
    Node x = row(tape, "x", 1000, 1);
    Node y = x.exp();
    assertEquals(Double.POSITIVE_INFINITY, y.value().data[0]);
    assertTrue(Double.isNaN(y.sub(y).sum().scalar()));
  }

  @Test
  void forwardInfinityNamesTheOpItsNodesAndTheCallSite() {
    Tape tape = new Tape().detectAnomalies(true);
    assertTrue(tape.detectsAnomalies());
    Node x = row(tape, "x", 1, 1000);
    AnomalyException e = assertThrows(AnomalyException.class, () -> x.exp());
    assertEquals("anomaly: exp produced Infinity at (0, 1) in n1 (1×2) = exp(x (1×2)); n1 was"
        + " created at " + HERE + "lambda$forwardInfinityNamesTheOpItsNodesAndTheCallSite$0"
        + "(AnomalyTest.java)", withoutLine(e.getMessage()));
    assertEquals("exp", e.node().op().name());
    assertEquals("n1 was created here", e.getCause().getMessage());
  }

  @Test
  void forwardOverflowOfAProductOfFiniteNumbersNamesBothInputs() {
    Tape tape = new Tape().detectAnomalies(true);
    Node a = row(tape, "a", 2, 1e200);
    Node b = row(tape, "b", 1e200);
    String m = withoutLine(assertThrows(AnomalyException.class, () -> a.mul(b)).getMessage());
    assertTrue(m.startsWith("anomaly: mul produced Infinity at (0, 1) in n2 (1×2) = mul(a (1×2),"
        + " b (1×1)); n2 was created at " + HERE), m);
  }

  @Test
  void forwardNaNFromAnInfinityMadeBeforeDetectionWasOn() {
    Tape tape = new Tape();
    Node inf = row(tape, "x", 1000).exp().named("inf");
    tape.detectAnomalies(true);
    String m = withoutLine(assertThrows(AnomalyException.class, () -> inf.sub(inf)).getMessage());
    assertTrue(m.startsWith("anomaly: sub produced NaN at (0, 0) in n2 (1×1) = sub(inf (1×1),"
        + " inf (1×1)); n2 was created at " + HERE), m);
  }

  @Test
  void backwardInfinityNamesTheOpTheInputAndWhereTheNodeWasMade() {
    Tape tape = new Tape().detectAnomalies(true);
    // log(1e-320) = −736.8 is finite, but its gradient 1/x overflows to ∞
    Node x = row(tape, "x", 1, 1e-320);
    Node y = x.log().named("y");
    Node J = y.sum();
    assertEquals(-736.83, J.scalar(), 0.01);
    AnomalyException e = assertThrows(AnomalyException.class, () -> tape.backward(J));
    assertEquals("anomaly: the backward of log produced Infinity at (0, 1) in the gradient of x"
        + " (1×2), input 0 of y (1×2) = log(x (1×2)); y was created at " + HERE
        + "backwardInfinityNamesTheOpTheInputAndWhereTheNodeWasMade(AnomalyTest.java)",
        withoutLine(e.getMessage()));
    assertSame(y, e.node());
    assertEquals("y was created here", e.getCause().getMessage(), "named after its creation");
    StackTraceElement creation = e.getCause().getStackTrace()[0];
    assertTrue(creation.getClassName().startsWith("dev.autodiff.core."), creation.toString());
  }

  @Test
  void backwardNaNFromACustomOpIsCaughtAtThatOp() {
    Op broken = new Op() {
      @Override
      public String name() {
        return "broken";
      }

      @Override
      public DMatrixRMaj forward(Node... x) {
        return x[0].value().copy();
      }

      @Override
      public void backward(DMatrixRMaj g, DMatrixRMaj y, Node[] x, DMatrixRMaj[] gx) {
        gx[0].data[0] += Double.NaN;
      }
    };
    Tape tape = new Tape().detectAnomalies(true);
    Node w = row(tape, "w", 2, 3);
    Node J = w.apply(broken).named("b").square().sum();
    String m = withoutLine(assertThrows(AnomalyException.class, () -> tape.backward(J))
        .getMessage());
    assertTrue(m.startsWith("anomaly: the backward of broken produced NaN at (0, 0) in the gradient"
        + " of w (1×2), input 0 of b (1×2) = broken(w (1×2)); b was created at " + HERE), m);
  }

  @Test
  void aBadLeafOrSeedIsCaught() {
    Tape tape = new Tape().detectAnomalies(true);
    assertEquals("anomaly: variable W (1×2) has NaN at (0, 1); W was created at " + HERE
        + "row(AnomalyTest.java)", withoutLine(assertThrows(
            AnomalyException.class, () -> row(tape, "W", 1, Double.NaN)).getMessage()));
    Node y = row(tape, "y", 1, 2);
    assertTrue(assertThrows(AnomalyException.class,
        () -> tape.backward(y, new DMatrixRMaj(1, 2, true, 1, Double.NEGATIVE_INFINITY)))
        .getMessage().startsWith("anomaly: the seed gradient for y (1×2) has -Infinity at (0, 1);"
            + " y was created at " + HERE));
  }

  @Test
  void nodesMadeBeforeDetectionWasOnHaveNoCreationSite() {
    Tape tape = new Tape();
    Node x = row(tape, "x", 1, 1e-320);
    Node y = x.log().named("y");
    tape.detectAnomalies(true);
    AnomalyException e = assertThrows(AnomalyException.class, () -> tape.backward(y.sum()));
    assertTrue(e.getMessage().endsWith("; y was created while anomaly detection was off"),
        e.getMessage());
    assertNull(e.getCause());
  }

  @Test
  void detectionCanBeTurnedOff() {
    Tape tape = new Tape().detectAnomalies(true).detectAnomalies(false);
    assertFalse(tape.detectsAnomalies());
    assertEquals(Double.POSITIVE_INFINITY, row(tape, "x", 1000).exp().scalar());
  }

  @Test
  void finiteGraphsAreUnaffected() {
    Tape on = new Tape().detectAnomalies(true);
    Tape off = new Tape();
    double[] results = new double[2];
    int i = 0;
    for (Tape tape : new Tape[] {on, off}) {
      Node w = row(tape, "w", 0.5, -1.5, 2);
      Node J = w.tanh().mul(w).logSoftmax().sum();
      results[i++] = tape.backward(J).get(w).data[1];
    }
    assertEquals(results[1], results[0], 0);
  }
}
