package dev.autodiff.benchmarks;

import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** c = a·b for square n×n matrices, on one BLAS thread; GFLOP/s = 2n³ / time. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmBenchmark {
  /** Who multiplies. */
  public enum Path {
    /** The engine's path: {@code dev.autodiff.core.kernels.Gemm.mult}. */
    ENGINE,
    /** {@code CommonOps_DDRM.mult}. */
    EJML,
    /** cblas_dgemm directly on the data arrays (JNI passes Java arrays by copy). */
    BLAS,
    /** cblas_dgemm on off-heap copies: what OpenBLAS does without the JNI array copies. */
    BLAS_OFFHEAP
  }

  @Param({"64", "128", "256", "512", "1024"})
  public int n;

  @Param({"ENGINE", "EJML", "BLAS", "BLAS_OFFHEAP"})
  public Path path;

  private Square s;

  @Setup
  public void setUp() {
    s = new Square(n);
  }

  @TearDown
  public void tearDown() {
    s.close();
  }

  @Benchmark
  public DMatrixRMaj mult() {
    switch (path) {
      case ENGINE -> s.engine();
      case EJML -> CommonOps_DDRM.mult(s.a, s.b, s.c);
      case BLAS -> Products.BLAS.mult(s.a, s.b, s.c);
      case BLAS_OFFHEAP -> s.offHeap();
    }
    return s.c;
  }
}
