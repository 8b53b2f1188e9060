package dev.autodiff.core.kernels;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * Convolution and pooling on batches of images: N×(C·H·W) matrices, one image per row, channel
 * first. A window of kh×kw moves by a stride over each image padded with zeros; it takes P = H′·W′
 * positions. A convolution is im2col (every window's entries as a column) and a
 * product, taken a block of images at a time.
 */
public final class Images {
  private Images() {}

  /**
   * A kh×kw window moved by a stride over C×H×W images padded with zeros: it takes H′×W′
   * positions, H′ = (H + 2·pad − kh)/stride + 1 rounded down.
   */
  public record Window(int c, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow) {
    /** The window over images of C×H×W, or an error saying why it cannot be. */
    public static Window of(int c, int h, int w, int kh, int kw, int stride, int pad) {
      if (kh < 1 || kw < 1 || stride < 1 || pad < 0) {
        throw new IllegalArgumentException("a window needs a size and stride ≥ 1 and padding"
            + " ≥ 0, got " + kh + "×" + kw + ", stride " + stride + ", padding " + pad);
      }
      if (h + 2 * pad < kh || w + 2 * pad < kw) {
        throw new IllegalArgumentException("a " + kh + "×" + kw + " window does not fit a " + c
            + "×" + h + "×" + w + " image with padding " + pad);
      }
      return new Window(c, h, w, kh, kw, stride, pad, (h + 2 * pad - kh) / stride + 1,
          (w + 2 * pad - kw) / stride + 1);
    }

    /** P = H′·W′. */
    public int positions() {
      return oh * ow;
    }

    /** C·H·W, an image's entries. */
    public int imageSize() {
      return c * h * w;
    }

    /** The first output column whose input column ow·stride − pad + j is inside the image. */
    int firstInside(int j) {
      return Math.max(0, -Math.floorDiv(j - pad, stride));
    }

    /** One past the last output column whose input column is inside the image. */
    int endInside(int j) {
      return Math.min(ow, Math.floorDiv(w - 1 + pad - j, stride) + 1);
    }
  }

  /** Scratch matrices per thread, grown as needed: a convolution's columns and its product. */
  private static final ThreadLocal<DMatrixRMaj[]> SCRATCH =
      ThreadLocal.withInitial(() -> new DMatrixRMaj[] {new DMatrixRMaj(1, 1),
          new DMatrixRMaj(1, 1)});

  private static DMatrixRMaj scratch(int slot, int rows, int cols) {
    DMatrixRMaj m = SCRATCH.get()[slot];
    m.reshape(rows, cols);
    return m;
  }

  /**
   * The columns of this many entries fit in a core's cache: a batch goes through im2col and its
   * product in blocks of images, so the product reads the columns im2col just wrote from the cache
   * rather than from memory.
   */
  static final int BLOCK_ENTRIES = 1 << 17;

  /** What runs on images b0 to b1 − 1 of a batch. */
  private interface Block {
    void run(int b0, int b1);
  }

  /** Runs the block on the n images in turn, as many at a time as columns of rows × P fit. */
  private static void inBlocks(int n, int rows, int positions, Block block) {
    int size = Math.max(1, BLOCK_ENTRIES / (rows * positions));
    for (int b0 = 0; b0 < n; b0 += size) {
      block.run(b0, Math.min(n, b0 + size));
    }
  }

  /**
   * y (N×(F·P)) = the convolution of the batch x with the kernel k (F×(C·kh·kw)): the product of
   * k with x's windows as columns, (C·kh·kw)×(N·P), taken a block of images at a time. x, k Not
   * modified; y Modified.
   */
  public static void conv2d(DMatrixRMaj x, DMatrixRMaj k, Window g, DMatrixRMaj y) {
    int p = g.positions();
    inBlocks(x.numRows, k.numCols, p, (b0, b1) -> {
      DMatrixRMaj cols = scratch(0, k.numCols, (b1 - b0) * p);
      im2col(x, g, b0, b1, cols);
      DMatrixRMaj out = scratch(1, k.numRows, (b1 - b0) * p);
      Gemm.mult(k, cols, out);
      toBatch(out, b0, b1, p, y);
    });
  }

  /**
   * y (N×(C·H·W)) = the transposed convolution of d (N×(F·P)) with k: each window's share kᵀ·d
   * added back where the window read (the gradient of conv2d with respect to its input). d, k Not
   * modified; y Modified.
   */
  public static void conv2dTranspose(DMatrixRMaj d, DMatrixRMaj k, Window g, DMatrixRMaj y) {
    int p = g.positions();
    y.zero();
    inBlocks(d.numRows, k.numCols, p, (b0, b1) -> {
      DMatrixRMaj flat = scratch(1, k.numRows, (b1 - b0) * p);
      fromBatch(d, b0, b1, p, flat);
      DMatrixRMaj cols = scratch(0, k.numCols, (b1 - b0) * p);
      Gemm.multTransA(k, flat, cols);
      col2im(cols, g, b0, b1, y);
    });
  }

  /**
   * y (F×(C·kh·kw)) = Σ over the batch of d's positions times x's windows (the gradient of conv2d
   * with respect to its kernel), a product per block of images added up. d (N×(F·P)), x Not
   * modified; y Modified.
   */
  public static void conv2dKernel(DMatrixRMaj d, DMatrixRMaj x, Window g, DMatrixRMaj y) {
    int p = g.positions();
    inBlocks(x.numRows, y.numCols, p, (b0, b1) -> {
      DMatrixRMaj cols = scratch(0, y.numCols, (b1 - b0) * p);
      im2col(x, g, b0, b1, cols);
      DMatrixRMaj flat = scratch(1, y.numRows, (b1 - b0) * p);
      fromBatch(d, b0, b1, p, flat);
      Gemm.product(false, true, flat, cols, b0 == 0 ? 0 : 1, y, y);
    });
  }

  /**
   * cols ((C·kh·kw)×(N·P)): row (c, i, j) holds, for every image and position, the entry at offset
   * (i, j) of the window there, 0 over the padding. x Not modified; cols Modified.
   */
  public static void im2col(DMatrixRMaj x, Window g, DMatrixRMaj cols) {
    im2col(x, g, 0, x.numRows, cols);
  }

  /** im2col of images b0 to b1 − 1: cols is (C·kh·kw)×((b1 − b0)·P). */
  static void im2col(DMatrixRMaj x, Window g, int b0, int b1, DMatrixRMaj cols) {
    int p = g.positions();
    int width = (b1 - b0) * p;
    for (int c = 0; c < g.c; c++) {
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = ((c * g.kh + i) * g.kw + j) * width;
          // the outputs whose column iw = ow·stride − pad + j falls inside the image
          int first = g.firstInside(j);
          int end = g.endInside(j);
          for (int b = b0; b < b1; b++) {
            int image = b * x.numCols + c * g.h * g.w;
            int out = row + (b - b0) * p;
            for (int oh = 0; oh < g.oh; oh++) {
              int ih = oh * g.stride - g.pad + i;
              int to = out + oh * g.ow;
              if (ih < 0 || ih >= g.h || first >= end) {
                Arrays.fill(cols.data, to, to + g.ow, 0);
                continue;
              }
              Arrays.fill(cols.data, to, to + first, 0);
              Arrays.fill(cols.data, to + end, to + g.ow, 0);
              int source = image + ih * g.w - g.pad + j;
              if (g.stride == 1) {
                System.arraycopy(x.data, source + first, cols.data, to + first, end - first);
              } else {
                for (int ow = first; ow < end; ow++) {
                  cols.data[to + ow] = x.data[source + ow * g.stride];
                }
              }
            }
          }
        }
      }
    }
  }

  /**
   * Images b0 to b1 − 1 of x (N×(C·H·W)) += every entry of cols added back where im2col read it.
   * cols Not modified; x Modified.
   */
  static void col2im(DMatrixRMaj cols, Window g, int b0, int b1, DMatrixRMaj x) {
    int p = g.positions();
    int width = (b1 - b0) * p;
    for (int c = 0; c < g.c; c++) {
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = ((c * g.kh + i) * g.kw + j) * width;
          int first = g.firstInside(j);
          int end = g.endInside(j);
          for (int b = b0; b < b1; b++) {
            int image = b * x.numCols + c * g.h * g.w;
            int in = row + (b - b0) * p;
            for (int oh = 0; oh < g.oh; oh++) {
              int ih = oh * g.stride - g.pad + i;
              if (ih < 0 || ih >= g.h) {
                continue;
              }
              int target = image + ih * g.w - g.pad + j;
              int from = in + oh * g.ow;
              for (int ow = first; ow < end; ow++) {
                x.data[target + ow * g.stride] += cols.data[from + ow];
              }
            }
          }
        }
      }
    }
  }

  /** y[b][f·P + q] = m[f][(b − b0)·P + q] for images b0 to b1 − 1. m Not modified; y Modified. */
  static void toBatch(DMatrixRMaj m, int b0, int b1, int p, DMatrixRMaj y) {
    int f = m.numRows;
    int width = (b1 - b0) * p;
    for (int b = b0; b < b1; b++) {
      for (int o = 0; o < f; o++) {
        System.arraycopy(m.data, o * width + (b - b0) * p, y.data, b * f * p + o * p, p);
      }
    }
  }

  /** m[f][(b − b0)·P + q] = y[b][f·P + q]: the inverse of {@link #toBatch}. y Not modified. */
  static void fromBatch(DMatrixRMaj y, int b0, int b1, int p, DMatrixRMaj m) {
    int f = m.numRows;
    int width = (b1 - b0) * p;
    for (int b = b0; b < b1; b++) {
      for (int o = 0; o < f; o++) {
        System.arraycopy(y.data, b * f * p + o * p, m.data, o * width + (b - b0) * p, p);
      }
    }
  }

  /** The index in x.data of the largest entry of window (b, c, oh, ow); the first of ties. */
  private static int argmax(DMatrixRMaj x, Window g, int b, int c, int oh, int ow) {
    int image = b * x.numCols + c * g.h * g.w;
    int best = -1;
    for (int i = 0; i < g.kh; i++) {
      int row = image + (oh * g.stride + i) * g.w;
      for (int j = 0; j < g.kw; j++) {
        int k = row + ow * g.stride + j;
        double v = x.data[k];
        if (best < 0 || v > x.data[best] || Double.isNaN(v) && !Double.isNaN(x.data[best])) {
          best = k;
        }
      }
    }
    return best;
  }

  /**
   * y (N×(C·P)) = the largest entry of each window of x (a NaN if it holds one). x Not modified;
   * y Modified.
   */
  public static void maxPool(DMatrixRMaj x, Window g, DMatrixRMaj y) {
    forEachWindow(x.numRows, g, (b, c, oh, ow, out) -> y.data[out] =
        x.data[argmax(x, g, b, c, oh, ow)]);
  }

  /** y (x's shape) = zeros with each entry of d added where its window's max is in x. */
  public static void maxPoolScatter(DMatrixRMaj d, DMatrixRMaj x, Window g, DMatrixRMaj y) {
    y.zero();
    forEachWindow(x.numRows, g, (b, c, oh, ow, out) -> y.data[argmax(x, g, b, c, oh, ow)] +=
        d.data[out]);
  }

  /** y (N×(C·P)) = h's entry where each window's max is in x. h, x Not modified; y Modified. */
  public static void maxPoolGather(DMatrixRMaj h, DMatrixRMaj x, Window g, DMatrixRMaj y) {
    forEachWindow(x.numRows, g, (b, c, oh, ow, out) -> y.data[out] =
        h.data[argmax(x, g, b, c, oh, ow)]);
  }

  /** y (N×(C·P)) = the mean of each window of x. x Not modified; y Modified. */
  public static void avgPool(DMatrixRMaj x, Window g, DMatrixRMaj y) {
    double share = 1.0 / (g.kh * g.kw);
    forEachWindow(x.numRows, g, (b, c, oh, ow, out) -> {
      double s = 0;
      int image = b * x.numCols + c * g.h * g.w;
      for (int i = 0; i < g.kh; i++) {
        int row = image + (oh * g.stride + i) * g.w + ow * g.stride;
        for (int j = 0; j < g.kw; j++) {
          s += x.data[row + j];
        }
      }
      y.data[out] = s * share;
    });
  }

  /** y (N×(C·H·W)) = each entry of d spread evenly over its window, overlaps added. */
  public static void avgPoolSpread(DMatrixRMaj d, Window g, DMatrixRMaj y) {
    y.zero();
    double share = 1.0 / (g.kh * g.kw);
    forEachWindow(d.numRows, g, (b, c, oh, ow, out) -> {
      double v = d.data[out] * share;
      int image = b * y.numCols + c * g.h * g.w;
      for (int i = 0; i < g.kh; i++) {
        int row = image + (oh * g.stride + i) * g.w + ow * g.stride;
        for (int j = 0; j < g.kw; j++) {
          y.data[row + j] += v;
        }
      }
    });
  }

  /** What to do at one window: image b, channel c, position (oh, ow), pooled entry out. */
  private interface AtWindow {
    void at(int b, int c, int oh, int ow, int out);
  }

  private static void forEachWindow(int n, Window g, AtWindow f) {
    int p = g.positions();
    for (int b = 0; b < n; b++) {
      for (int c = 0; c < g.c; c++) {
        for (int oh = 0; oh < g.oh; oh++) {
          for (int ow = 0; ow < g.ow; ow++) {
            f.at(b, c, oh, ow, (b * g.c + c) * p + oh * g.ow + ow);
          }
        }
      }
    }
  }
}
