package dev.autodiff.core.kernels;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * Convolution and pooling on batches of images: N×(C·H·W) matrices, one image per row, channel
 * first. A window of kh×kw moves by a stride over each image padded with zeros; it takes P = H′·W′
 * positions. A convolution is im2col (every window's entries as a column) and one product.
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
   * y (N×(F·P)) = the convolution of the batch x with the kernel k (F×(C·kh·kw)): one product of
   * k with x's windows as columns, (C·kh·kw)×(N·P). x, k Not modified; y Modified.
   */
  public static void conv2d(DMatrixRMaj x, DMatrixRMaj k, Window g, DMatrixRMaj y) {
    int n = x.numRows;
    DMatrixRMaj cols = scratch(0, g.c * g.kh * g.kw, n * g.positions());
    im2col(x, g, cols);
    DMatrixRMaj out = scratch(1, k.numRows, n * g.positions());
    Gemm.mult(k, cols, out);
    toBatch(out, n, g.positions(), y);
  }

  /**
   * y (N×(C·H·W)) = the transposed convolution of d (N×(F·P)) with k: each window's share kᵀ·d
   * added back where the window read (the gradient of conv2d with respect to its input). d, k Not
   * modified; y Modified.
   */
  public static void conv2dTranspose(DMatrixRMaj d, DMatrixRMaj k, Window g, DMatrixRMaj y) {
    int n = d.numRows;
    DMatrixRMaj flat = scratch(1, k.numRows, n * g.positions());
    fromBatch(d, k.numRows, g.positions(), flat);
    DMatrixRMaj cols = scratch(0, k.numCols, n * g.positions());
    Gemm.multTransA(k, flat, cols);
    col2im(cols, g, y);
  }

  /**
   * y (F×(C·kh·kw)) = Σ over the batch of d's positions times x's windows (the gradient of conv2d
   * with respect to its kernel), one product. d (N×(F·P)), x Not modified; y Modified.
   */
  public static void conv2dKernel(DMatrixRMaj d, DMatrixRMaj x, Window g, DMatrixRMaj y) {
    int n = x.numRows;
    DMatrixRMaj cols = scratch(0, g.c * g.kh * g.kw, n * g.positions());
    im2col(x, g, cols);
    DMatrixRMaj flat = scratch(1, y.numRows, n * g.positions());
    fromBatch(d, y.numRows, g.positions(), flat);
    Gemm.multTransB(flat, cols, y);
  }

  /**
   * cols ((C·kh·kw)×(N·P)): row (c, i, j) holds, for every image and position, the entry at offset
   * (i, j) of the window there, 0 over the padding. x Not modified; cols Modified.
   */
  static void im2col(DMatrixRMaj x, Window g, DMatrixRMaj cols) {
    int n = x.numRows;
    int p = g.positions();
    int width = n * p;
    for (int c = 0; c < g.c; c++) {
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = ((c * g.kh + i) * g.kw + j) * width;
          for (int b = 0; b < n; b++) {
            int image = b * x.numCols + c * g.h * g.w;
            int out = row + b * p;
            for (int oh = 0; oh < g.oh; oh++) {
              int ih = oh * g.stride - g.pad + i;
              int to = out + oh * g.ow;
              if (ih < 0 || ih >= g.h) {
                Arrays.fill(cols.data, to, to + g.ow, 0);
                continue;
              }
              int source = image + ih * g.w;
              for (int ow = 0; ow < g.ow; ow++) {
                int iw = ow * g.stride - g.pad + j;
                cols.data[to + ow] = iw >= 0 && iw < g.w ? x.data[source + iw] : 0;
              }
            }
          }
        }
      }
    }
  }

  /** x (N×(C·H·W)) = every entry of cols added back where im2col read it. cols Not modified. */
  static void col2im(DMatrixRMaj cols, Window g, DMatrixRMaj x) {
    x.zero();
    int n = x.numRows;
    int p = g.positions();
    int width = n * p;
    for (int c = 0; c < g.c; c++) {
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = ((c * g.kh + i) * g.kw + j) * width;
          for (int b = 0; b < n; b++) {
            int image = b * x.numCols + c * g.h * g.w;
            int in = row + b * p;
            for (int oh = 0; oh < g.oh; oh++) {
              int ih = oh * g.stride - g.pad + i;
              if (ih < 0 || ih >= g.h) {
                continue;
              }
              int target = image + ih * g.w;
              int from = in + oh * g.ow;
              for (int ow = 0; ow < g.ow; ow++) {
                int iw = ow * g.stride - g.pad + j;
                if (iw >= 0 && iw < g.w) {
                  x.data[target + iw] += cols.data[from + ow];
                }
              }
            }
          }
        }
      }
    }
  }

  /** y[b][f·P + q] = m[f][b·P + q]: a product's F×(N·P) back to one row per image. */
  static void toBatch(DMatrixRMaj m, int n, int p, DMatrixRMaj y) {
    int f = m.numRows;
    for (int b = 0; b < n; b++) {
      for (int o = 0; o < f; o++) {
        System.arraycopy(m.data, o * n * p + b * p, y.data, b * f * p + o * p, p);
      }
    }
  }

  /** m[f][b·P + q] = y[b][f·P + q]: the inverse of {@link #toBatch}. */
  static void fromBatch(DMatrixRMaj y, int f, int p, DMatrixRMaj m) {
    int n = y.numRows;
    for (int b = 0; b < n; b++) {
      for (int o = 0; o < f; o++) {
        System.arraycopy(y.data, b * f * p + o * p, m.data, o * n * p + b * p, p);
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
