package dev.autodiff.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * The values of the ops beyond products and the first activations, against closed forms, direct
 * sums written out in the test, and the edges each op documents; and their errors.
 */
class OpValueTest {
  private final Tape tape = new Tape();

  private Node row(double... v) {
    return tape.constant(new DMatrixRMaj(1, v.length, true, v));
  }

  private Node matrix(double[][] v) {
    return tape.constant(new DMatrixRMaj(v));
  }

  @Test
  void elementwiseOpsMatchTheirClosedForms() {
    Node x = row(-2, -0.5, 0, 0.5, 2);
    assertArrayEquals(new double[] {2, 0.5, 0, 0.5, 2}, x.abs().value().data, 0);
    assertArrayEquals(new double[] {-1, -1, 0, 1, 1}, x.sign().value().data, 0);
    assertArrayEquals(new double[] {-8, -0.125, 0, 0.125, 8}, x.pow(3).value().data, 1e-15);
    assertArrayEquals(new double[] {-0.5, -0.5, 0, 0.5, 0.7}, x.clamp(-0.5, 0.7).value().data, 0);
    assertArrayEquals(new double[] {-0.2, -0.05, 0, 0.5, 2}, x.leakyRelu(0.1).value().data,
        1e-15);
    assertEquals(1.3 * Math.expm1(-2), x.elu(1.3).value().data[0], 1e-15);
    assertArrayEquals(new double[] {-2, -0.5}, row(-0.5, -2).reciprocal().value().data, 0);
    assertEquals(0.5, row(4).rsqrt().scalar(), 0);
    assertEquals(Math.sin(0.5), row(0.5).sin().scalar(), 0);
    assertEquals(Math.cos(0.5), row(0.5).cos().scalar(), 0);
    // erf and the normal distribution at a few points (Abramowitz and Stegun's tables)
    assertEquals(0.5204998778130465, row(0.5).erf().scalar(), 1e-15);
    assertEquals(0.8413447460685429, row(1).gelu().scalar(), 1e-15); // 1·Φ(1)
    assertEquals(-0.15865525393145707, row(-1).gelu().scalar(), 1e-15); // −1·Φ(−1)
    assertEquals(0.8411919906082768, row(1).geluTanh().scalar(), 1e-15);
  }

  @Test
  void softplusIsFiniteFarOutAndExactNearZero() {
    Node x = row(-1000, -30, 0, 30, 1000);
    double[] y = x.softplus().value().data;
    assertEquals(0, y[0], 0);
    assertEquals(Math.log1p(Math.exp(-30)), y[1], 1e-28);
    assertEquals(Math.log(2), y[2], 1e-16);
    assertEquals(30 + Math.log1p(Math.exp(-30)), y[3], 1e-14);
    assertEquals(1000, y[4], 0);
    Node v = tape.variable("v", new DMatrixRMaj(1, 2, true, -1000, 1000));
    assertArrayEquals(new double[] {0, 1}, tape.backward(v.softplus().sum()).get(v).data, 0);
  }

  @Test
  void maxAndMinBroadcastAndSplitATie() {
    Node a = tape.variable("a", new DMatrixRMaj(new double[][] {{1, 5}, {3, 3}}));
    Node b = tape.variable("b", new DMatrixRMaj(1, 2, true, 3, 4));
    assertArrayEquals(new double[] {3, 5, 3, 4}, a.max(b).value().data, 0);
    assertArrayEquals(new double[] {1, 4, 3, 3}, a.min(b).value().data, 0);
    Gradients g = tape.backward(a.max(b).sum());
    // a wins at (0, 1) and (1, 1) is b's 4 against a's 3; a tie at (1, 0) halves
    assertArrayEquals(new double[] {0, 1, 0.5, 0}, g.get(a).data, 0);
    assertArrayEquals(new double[] {1.5, 1}, g.get(b).data, 0);
  }

  @Test
  void whereSelectsAndRefusesAMaskThatIsNotZerosAndOnes() {
    Node m = matrix(new double[][] {{1, 0}, {0, 1}});
    Node a = tape.variable("a", new DMatrixRMaj(new double[][] {{1, 2}, {3, 4}}));
    Node b = tape.variable("b", new DMatrixRMaj(1, 1, true, Double.NaN));
    Node y = Node.where(m, a, b);
    assertEquals(1, y.value().get(0, 0), 0);
    assertTrue(Double.isNaN(y.value().get(0, 1)), "b where the mask is 0");
    Gradients g = tape.backward(Node.where(m, a, row(-1)).sum());
    assertArrayEquals(new double[] {1, 0, 0, 1}, g.get(a).data, 0);
    assertEquals("where: m has 0.5 at (0, 1); where needs every entry 0 or 1",
        assertThrows(ArithmeticException.class,
            () -> Node.where(matrix(new double[][] {{1, 0.5}}).named("m"), row(1, 2), row(3, 4)))
            .getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Node.where(a, a, a))
        .getMessage().startsWith("where: the mask a (2×2) must be a constant"));
  }

  @Test
  void powHasTheDomainItsExponentAllows() {
    assertEquals("pow(0.5): x has -1.0 at (0, 0); pow(0.5) needs every entry ≥ 0",
        assertThrows(ArithmeticException.class, () -> row(-1).named("x").pow(0.5)).getMessage());
    assertEquals("pow(-2.0): x has 0.0 at (0, 1); pow(-2.0) needs every entry ≠ 0",
        assertThrows(ArithmeticException.class, () -> row(1, 0).named("x").pow(-2))
            .getMessage());
    assertEquals(0.25, row(-2).pow(-2).scalar(), 0);
    assertEquals(1, row(0).pow(0).scalar(), 0);
  }

  @Test
  void reductionsAlongAnAxisMatchTheirSums() {
    Node x = matrix(new double[][] {{1, 7, 7}, {-2, -5, 4}});
    assertArrayEquals(new double[] {7, 4}, x.maxRows().value().data, 0);
    assertArrayEquals(new double[] {1, 7, 7}, x.maxCols().value().data, 0);
    assertArrayEquals(new double[] {1, -5}, x.minRows().value().data, 0);
    assertArrayEquals(new double[] {-2, -5, 4}, x.minCols().value().data, 0);
    assertArrayEquals(new double[] {5, -1}, x.meanRows().value().data, 1e-15);
    assertArrayEquals(new double[] {-0.5, 1, 5.5}, x.meanCols().value().data, 1e-15);
    // (1/3)Σ(x − x̄)²: row 0: (16 + 4 + 4)/3 = 8; row 1: (1 + 16 + 25)/3 = 14
    assertArrayEquals(new double[] {8, 14}, x.varianceRows().value().data, 1e-14);
    assertEquals(Math.log(Math.exp(1) + 2 * Math.exp(7)), x.logSumExpRows().value().data[0],
        1e-14);
    // stable far out: log(e¹⁰⁰⁰ + e¹⁰⁰⁰) = 1000 + log 2
    assertEquals(1000 + Math.log(2), row(1000, 1000).logSumExpRows().scalar(), 1e-12);
    assertEquals(-1000 + Math.log(2), row(-1000, -1000).logSumExpRows().scalar(), 1e-12);
    // the first of tied maxima takes the gradient
    Node v = tape.variable("v", new DMatrixRMaj(1, 3, true, 1, 7, 7));
    assertArrayEquals(new double[] {0, 1, 0}, tape.backward(v.maxRows().sum()).get(v).data, 0);
  }

  @Test
  void shapesAndIndexingMoveEntriesExactly() {
    Node x = matrix(new double[][] {{1, 2, 3}, {4, 5, 6}});
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, x.reshape(3, 2).value().data, 0);
    assertEquals(3, x.reshape(3, 2).rows());
    assertArrayEquals(new double[] {4, 5, 6}, x.sliceRows(1, 2).value().data, 0);
    assertArrayEquals(new double[] {2, 3, 5, 6}, x.sliceCols(1, 3).value().data, 0);
    assertArrayEquals(new double[] {0, 0, 0, 1, 2, 3, 4, 5, 6}, x.padRows(1, 0).value().data, 0);
    assertArrayEquals(new double[] {0, 1, 2, 3, 0, 4, 5, 6}, x.padCols(1, 0).value().data, 0);
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 1, 2, 3},
        x.concatRows(x.sliceRows(0, 1)).value().data, 0);
    assertArrayEquals(new double[] {1, 2, 3, 1, 4, 5, 6, 4},
        x.concatCols(x.sliceCols(0, 1)).value().data, 0);
    assertArrayEquals(new double[] {4, 5, 6, 1, 2, 3, 4, 5, 6},
        x.gatherRows(1, 0, 1).value().data, 0);
    assertArrayEquals(new double[] {1, 2, 3, 0, 0, 0, 4, 5, 6},
        x.scatterAddRows(new int[] {0, 2}, 3).value().data, 0);
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6},
        x.repeatRows(2).value().data, 0);
    // an embedding's gradient adds each gathered row's gradient into its row: ids × width
    Node table = tape.variable("table", new DMatrixRMaj(4, 2));
    Gradients g = tape.backward(table.gatherRows(3, 0, 3).mul(matrix(new double[][] {{1, 2},
        {3, 4}, {5, 6}})).sum());
    assertArrayEquals(new double[] {3, 4, 0, 0, 0, 0, 6, 8}, g.get(table).data, 0);
  }

  @Test
  void idsInANodeGatherAndScatterRowByRow() {
    Node table = tape.variable("E", new DMatrixRMaj(new double[][] {{1, 2}, {3, 4}, {5, 6}}));
    Node ids = matrix(new double[][] {{2, 0}, {2, 1}}).named("ids");
    // row k of the result is the row at the k-th id, the ids read row by row
    Node e = table.gatherRows(ids);
    assertArrayEquals(new double[] {5, 6, 1, 2, 5, 6, 3, 4}, e.value().data, 0);
    assertArrayEquals(new double[] {1, 2, 0, 0, 3, 4},
        matrix(new double[][] {{1, 2}, {3, 4}}).scatterAddRows(row(0, 2), 3).value().data, 0);
    // each gathered row's gradient is added into its row: row 2, read twice, gets both
    Node w = matrix(new double[][] {{1, 2}, {3, 4}, {5, 6}, {7, 8}});
    Gradients g = tape.backward(e.mul(w).sum());
    assertArrayEquals(new double[] {3, 4, 7, 8, 6, 8}, g.get(table).data, 0);
  }

  @Test
  void badIdsInANodeAreRefusedNamingTheirRowAndColumn() {
    Node table = matrix(new double[][] {{1, 2, 3}, {4, 5, 6}}).named("E");
    assertEquals("gatherRowsAt: id 2 of ids at (1, 0) is not a row of the 2 (0 to 1) of E (2×3)",
        assertThrows(IllegalArgumentException.class,
            () -> table.gatherRows(matrix(new double[][] {{0, 1}, {2, 0}}).named("ids")))
            .getMessage());
    assertEquals("gatherRowsAt: id -1 of ids at (0, 1) is not a row of the 2 (0 to 1) of E (2×3)",
        assertThrows(IllegalArgumentException.class,
            () -> table.gatherRows(row(0, -1).named("ids"))).getMessage());
    assertEquals("gatherRowsAt: ids has 0.5 at (0, 1), which is not a row id: gatherRowsAt needs"
            + " every entry a whole number",
        assertThrows(ArithmeticException.class,
            () -> table.gatherRows(row(1, 0.5).named("ids"))).getMessage());
    Node v = tape.variable("v", new DMatrixRMaj(1, 1));
    assertEquals("gatherRowsAt: the ids v (1×1) must be a constant: no gradient goes to them",
        assertThrows(IllegalArgumentException.class, () -> table.gatherRows(v)).getMessage());
    assertEquals("scatterAddRowsAt: E (2×3) needs one row per id, and ids (1×3) holds 3",
        assertThrows(IllegalArgumentException.class,
            () -> table.scatterAddRows(row(0, 1, 1).named("ids"), 4)).getMessage());
    assertEquals("scatterAddRowsAt: id 4 of ids at (0, 1) is not a row of the 4 (0 to 3) of the"
            + " result (4×3)",
        assertThrows(IllegalArgumentException.class,
            () -> table.scatterAddRows(row(0, 4).named("ids"), 4)).getMessage());
  }

  @Test
  void badIndicesAndShapesAreRefusedNamingThem() {
    Node x = matrix(new double[][] {{1, 2, 3}, {4, 5, 6}}).named("x");
    assertEquals("gatherRows: id 2 at 1 is not a row of the 2 (0 to 1) of x (2×3)",
        assertThrows(IllegalArgumentException.class, () -> x.gatherRows(0, 2)).getMessage());
    assertEquals("gatherRows: no ids to select from x (2×3)",
        assertThrows(IllegalArgumentException.class, () -> x.gatherRows()).getMessage());
    assertEquals("sliceRows: [1, 1) selects none of the 2 rows of x (2×3)",
        assertThrows(IllegalArgumentException.class, () -> x.sliceRows(1, 1)).getMessage());
    assertEquals("sliceCols: [2, 4) is outside the 3 columns of x (2×3)",
        assertThrows(IllegalArgumentException.class, () -> x.sliceCols(2, 4)).getMessage());
    assertEquals("reshape: cannot read x (2×3) as 4×2: the count of entries must stay 6",
        assertThrows(IllegalArgumentException.class, () -> x.reshape(4, 2)).getMessage());
    assertEquals("concatRows: n1 (1×2) and x (2×3) must have the same width",
        assertThrows(IllegalArgumentException.class,
            () -> x.concatRows(row(1, 2))).getMessage());
    assertEquals("conv2d: x (2×3) is not a batch of 1×2×2 images: each row needs 4 entries",
        assertThrows(IllegalArgumentException.class,
            () -> x.conv2d(row(1), new Image(1, 2, 2), 1, 1, 1, 0)).getMessage());
    assertEquals("dropout: p must be in [0, 1), got 1.0",
        assertThrows(IllegalArgumentException.class, () -> x.dropout(1, 0)).getMessage());
  }

  /** y[n][f·P + p] as the definition writes it: Σ over c, i, j of k[f][c, i, j]·x[n][c, …]. */
  private static double[] directConvolution(DMatrixRMaj x, DMatrixRMaj k, Image in, int kh, int kw,
      int stride, int pad) {
    int oh = (in.height() + 2 * pad - kh) / stride + 1;
    int ow = (in.width() + 2 * pad - kw) / stride + 1;
    int filters = k.numRows;
    double[] y = new double[x.numRows * filters * oh * ow];
    for (int n = 0; n < x.numRows; n++) {
      for (int f = 0; f < filters; f++) {
        for (int r = 0; r < oh; r++) {
          for (int s = 0; s < ow; s++) {
            double sum = 0;
            for (int c = 0; c < in.channels(); c++) {
              for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                  int h = r * stride - pad + i;
                  int w = s * stride - pad + j;
                  if (h >= 0 && h < in.height() && w >= 0 && w < in.width()) {
                    sum += k.get(f, (c * kh + i) * kw + j)
                        * x.get(n, (c * in.height() + h) * in.width() + w);
                  }
                }
              }
            }
            y[n * filters * oh * ow + f * oh * ow + r * ow + s] = sum;
          }
        }
      }
    }
    return y;
  }

  @Test
  void conv2dEqualsItsDirectSum() {
    Random rng = new Random(9);
    int[][] configs = {{1, 5, 5, 3, 3, 1, 0}, {2, 6, 5, 3, 2, 2, 1}, {3, 4, 4, 2, 2, 1, 1}};
    for (int[] c : configs) {
      Image in = new Image(c[0], c[1], c[2]);
      DMatrixRMaj x = Matrices.uniform(rng, 3, in.size(), -1, 1);
      DMatrixRMaj k = Matrices.uniform(rng, 4, c[0] * c[3] * c[4], -1, 1);
      Node y = tape.constant(x).conv2d(tape.constant(k), in, c[3], c[4], c[5], c[6]);
      assertArrayEquals(directConvolution(x, k, in, c[3], c[4], c[5], c[6]), y.value().data,
          1e-13, in + " " + c[3] + "×" + c[4]);
    }
  }

  /** A batch the kernels take in several blocks of images gives what each image gives alone. */
  @Test
  void conv2dInBlocksOfImagesAddsUpToEachImageAlone() {
    Random rng = new Random(11);
    Image in = new Image(6, 14, 14);
    int batch = 20; // blocks of 8 images: 8, 8 and 4
    DMatrixRMaj x = Matrices.uniform(rng, batch, in.size(), -1, 1);
    DMatrixRMaj k = Matrices.uniform(rng, 16, 6 * 5 * 5, -1, 1);
    DMatrixRMaj r = Matrices.uniform(rng, batch, 16 * 10 * 10, -1, 1);
    Node xs = tape.variable("x", x);
    Node ks = tape.variable("k", k);
    Node y = xs.conv2d(ks, in, 5, 5, 1, 0);
    assertArrayEquals(directConvolution(x, k, in, 5, 5, 1, 0), y.value().data, 1e-12);
    Gradients g = tape.backward(y.mul(tape.constant(r)).sum());
    DMatrixRMaj kernelSum = new DMatrixRMaj(k.numRows, k.numCols);
    for (int n = 0; n < batch; n++) {
      Tape one = new Tape();
      Node xn = one.variable("x", CommonOps_DDRM.extract(x, n, n + 1, 0, x.numCols));
      Node kn = one.variable("k", k);
      Node rn = one.constant(CommonOps_DDRM.extract(r, n, n + 1, 0, r.numCols));
      Gradients gn = one.backward(xn.conv2d(kn, in, 5, 5, 1, 0).mul(rn).sum());
      assertArrayEquals(gn.get(xn).data,
          CommonOps_DDRM.extract(g.get(xs), n, n + 1, 0, x.numCols).data, 1e-12, "image " + n);
      CommonOps_DDRM.addEquals(kernelSum, gn.get(kn));
    }
    assertArrayEquals(kernelSum.data, g.get(ks).data, 1e-10);
  }

  @Test
  void poolingTakesEachWindowsMaxOrMean() {
    // one 1×4×4 image: windows of 2 with stride 2
    DMatrixRMaj x = new DMatrixRMaj(1, 16, true, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
        15, 16);
    Image in = new Image(1, 4, 4);
    assertArrayEquals(new double[] {6, 8, 14, 16},
        tape.constant(x).maxPool2d(in, 2, 2).value().data, 0);
    assertArrayEquals(new double[] {3.5, 5.5, 11.5, 13.5},
        tape.constant(x).avgPool2d(in, 2, 2).value().data, 0);
    // overlapping windows of 3, stride 1: each max goes back to where it was
    Node v = tape.variable("v", x);
    DMatrixRMaj g = tape.backward(v.maxPool2d(in, 3, 1).sum()).get(v);
    assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1}, g.data, 0);
  }

  @Test
  void dropoutKeepsItsMaskForTheGradientAndEveryRun() {
    DMatrixRMaj ones = new DMatrixRMaj(20, 50);
    ones.fill(1);
    Node x = tape.variable("x", ones);
    Node y = x.dropout(0.3, 42);
    int kept = 0;
    for (double v : y.value().data) {
      assertTrue(v == 0 || Math.abs(v - 1 / 0.7) < 1e-15, "0 or 1/(1 − p): " + v);
      kept += v == 0 ? 0 : 1;
    }
    assertEquals(700, kept, 60, "about 70 % kept of 1000");
    assertArrayEquals(y.value().data, tape.backward(y.sum()).get(x).data, 0, "same mask");
    Plan plan = Plan.compile(y.sum(), x);
    assertArrayEquals(y.value().data, plan.run().get(x).data, 0, "and in a plan, run after run");
    assertArrayEquals(y.value().data, plan.run().get(x).data, 0);
  }
}
