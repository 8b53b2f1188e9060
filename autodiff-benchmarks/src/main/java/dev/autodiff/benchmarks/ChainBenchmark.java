package dev.autodiff.benchmarks;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.Tape;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** A chain of 1,000,000 ops on a 1×1 variable: the cost of recording it and of backward over it. */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class ChainBenchmark {
  public static final int LENGTH = 1_000_000;

  static Node record() {
    Tape tape = new Tape();
    Node n = tape.variable("x", new DMatrixRMaj(1, 1, true, 1.0));
    for (int i = 0; i < LENGTH; i++) {
      n = n.scale(1.0000001);
    }
    return n;
  }

  @Benchmark
  public Node record1M() {
    return record();
  }

  /** A freshly recorded chain before each backward, so every shot walks a tape of the same age. */
  @State(Scope.Thread)
  public static class Recorded {
    Node end;

    @Setup(Level.Iteration)
    public void setUp() {
      end = null;
      end = record();
    }
  }

  @Benchmark
  public Gradients backward1M(Recorded chain) {
    return chain.end.tape().backward(chain.end);
  }
}
