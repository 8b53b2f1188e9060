package dev.autodiff.benchmarks;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;

import dev.autodiff.core.kernels.Gemm;
import java.util.Random;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;
import org.ejml.data.DMatrixRMaj;

/**
 * The product benchmarks' operands: seeded n×n a and b, the result c, and off-heap copies of all
 * three for OpenBLAS's own call. OpenBLAS is set to one thread.
 */
final class Square implements AutoCloseable {
  final int n;
  final DMatrixRMaj a;
  final DMatrixRMaj b;
  final DMatrixRMaj c;
  private final DoublePointer pa;
  private final DoublePointer pb;
  private final DoublePointer pc;

  Square(int n) {
    Blas.threads(1);
    this.n = n;
    Random random = new Random(Workload.SEED);
    a = Workload.gaussian(n, n, 1.0, random);
    b = Workload.gaussian(n, n, 1.0, random);
    c = new DMatrixRMaj(n, n);
    pa = new DoublePointer(a.data);
    pb = new DoublePointer(b.data);
    pc = new DoublePointer((long) n * n);
  }

  /** c = a·b the engine's way. */
  void engine() {
    Gemm.mult(a, b, c);
  }

  /** The same product by cblas_dgemm on the off-heap copies: the library's own speed. */
  void offHeap() {
    openblas.cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, pa, n, pb, n,
        0.0, pc, n);
  }

  @Override
  public void close() {
    pa.close();
    pb.close();
    pc.close();
  }
}
