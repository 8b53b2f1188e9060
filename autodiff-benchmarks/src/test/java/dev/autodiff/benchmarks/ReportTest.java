package dev.autodiff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReportTest {
  static Results results;
  static String doc;

  static Report.Setup setup(boolean quick) {
    return new Report.Setup("Test CPU", 2, "Java 17", "Linux", "OpenBLAS 0.3.30", "Haswell",
        "autodiff-benchmarks/run", quick, 540, "random rows", "0.05");
  }

  @BeforeAll
  static void render() throws Exception {
    results = Results.read(
        List.of(Path.of(ReportTest.class.getResource("/jmh-sample.json").toURI())));
    doc = new Report(results).render(setup(false));
  }

  @Test
  void readsJmhJsonIncludingNaNErrors() {
    assertEquals(16, results.all().size());
    Results.Result first = results.all().get(0);
    assertEquals("StepBenchmark.step", first.name());
    assertEquals(4.0, first.median());
    assertEquals(4.2, first.mean());
    assertEquals(6144.0, first.allocated().orElseThrow());
    assertTrue(Double.isNaN(results.all().get(1).primaryMetric().scoreError()));
    Results.Metric ratio = results.secondary("planOverEjml", "InterleavedBenchmark.round",
        "workload", "W3").orElseThrow();
    assertEquals(0.105, ratio.median());
    assertEquals(List.of(0.1, 0.105, 0.13), ratio.iterations());
    assertTrue(results.find("StepBenchmark.step", "workload", "W4").isEmpty());
  }

  @Test
  void targetsAreJudgedOnTheMedianOfTheInterleavedRatios() {
    // a median equal to the bound meets it, in both directions; the range is the iterations'
    assertTrue(doc.contains("| plan ÷ hand EJML, W1 2-3-2, batch 1 | 3.00 (2.50–3.10) | ≤ 3.00 |"
        + " met | (a) |"), doc);
    assertTrue(doc.contains("| eager ÷ hand EJML, W1 2-3-2, batch 1 | 16.0 (15.0–17.0) | ≤ 15.0 |"
        + " **not met** | (a) |"), doc);
    assertTrue(doc.contains("| plan ÷ hand BLAS, W3 784-256-10, batch 64 | 1.05 (0.980–1.12) |"
        + " ≤ 1.00 | **not met** | (a) |"), doc);
    assertTrue(doc.contains("| eager ÷ plan, W3 784-256-10, batch 64 | 1.19 (1.10–1.30) | ≤ 1.50 |"
        + " met | (a) |"), doc);
    assertTrue(doc.contains("| H·v ÷ one gradient, plans, 784-256-10, batch 64 | 3.20 (3.00–3.40)"
        + " | ≤ 5.00 | met | (c) |"), doc);
    assertTrue(doc.contains("| literal penalty ÷ halfSquaredNorm, plans, 784-256-10, batch 64 |"
        + " 1.20 (1.15–1.25) | ≤ 1.10 | **not met** | (d) |"), doc);
    assertTrue(doc.contains("| engine's product ÷ OpenBLAS's own, GFLOP/s, n = 256 |"
        + " 0.950 (0.940–0.990) | ≥ 0.950 | met | (e) |"), doc);
    assertTrue(doc.contains("| engine's product ÷ OpenBLAS's own, GFLOP/s, n = 512 |"
        + " 0.900 (0.850–0.960) | ≥ 0.950 | **not met** | (e) |"), doc);
    // a benchmark the run did not include shows dashes, not a verdict
    assertTrue(doc.contains("| plan ÷ hand BLAS, W2 64-32-10, batch 32 | — | ≤ 1.00 | — | (a) |"),
        doc);
    assertTrue(doc.contains("| engine's product ÷ OpenBLAS's own, GFLOP/s, n = 1024 | — |"
        + " ≥ 0.950 | — | (e) |"), doc);
  }

  @Test
  void theTargetsAreTheOnesSet() {
    List<Target> all = Target.all();
    assertEquals(4 + 4 + 1 + 1 + Target.GEMM_SIZES.size() + 2 + 2, all.size());
    assertEquals(List.of(3.0, 1.0, 1.0, 1.0, 15.0, 1.5, 1.5, 1.5, 5.0, 1.1, 0.95, 0.95, 0.95,
        0.5, 0.5, 1.2, 1.2), all.stream().map(Target::bound).toList());
    assertEquals(12, all.stream().filter(Target::atMost).count());
    Target gemm = all.get(12);
    assertTrue(gemm.met(0.95) && gemm.met(1.2) && !gemm.met(0.9499));
    Target plan = all.get(1);
    assertTrue(plan.met(1.0) && !plan.met(1.0001));
  }

  /** A key that no benchmark reports would leave its target at "—" in every run. */
  @Test
  void everyTargetNamesAnAccessorItsBenchmarkReports() throws Exception {
    for (Target t : Target.all()) {
      String simple = t.benchmark().substring(0, t.benchmark().indexOf('.'));
      Class<?> turns = Class.forName("dev.autodiff.benchmarks." + simple + "$Turns");
      Method m = turns.getMethod(t.key());
      assertTrue(Modifier.isPublic(m.getModifiers()) && m.getReturnType() == double.class,
          t.what());
      Class<?> benchmark = Class.forName("dev.autodiff.benchmarks." + simple);
      Method round = benchmark.getMethod(t.benchmark().substring(simple.length() + 1),
          turns);
      assertTrue(round.isAnnotationPresent(org.openjdk.jmh.annotations.Benchmark.class));
      for (int i = 0; i < t.params().size(); i += 2) {
        String param = t.params().get(i);
        List<String> values = List.of(benchmark.getField(param)
            .getAnnotation(org.openjdk.jmh.annotations.Param.class).value());
        assertTrue(values.contains(t.params().get(i + 1)), t.what() + ": " + values);
      }
    }
  }

  @Test
  void interleavedTablesShowMediansAndRanges() {
    assertTrue(doc.contains("| W3 784-256-10, batch 64 | 2,500 | 2,100 | 20,000 | 2,000 |"
        + " 0.105 (0.100–0.130) | 1.05 (0.980–1.12) | 0.125 (0.120–0.130) | 1.19 (1.10–1.30) |"),
        doc);
    assertTrue(doc.contains("| W2 64-32-10, batch 32 | — | — | — | — | — | — | — | — |"), doc);
    assertTrue(doc.contains("| plans | 1,500 | 4,800 | 3.20 (3.00–3.40) |"), doc);
    assertTrue(doc.contains("| eager | 2,000 | 7,000 | 3.50 (3.40–3.60) |"), doc);
    assertTrue(doc.contains("| 1,500 | 1,800 | 1.20 (1.15–1.25) |"), doc);
    assertTrue(doc.contains("3 warm-up × 1 s and 3 measured × 1 s per workload"), doc);
  }

  @Test
  void ownJvmTablesGiveRatiosOfMedians() {
    // W1: 4.0 / 1.0 and no BLAS run; W2: 10 / 20 and 10 / 8
    assertTrue(doc.contains("| W1 2-3-2, batch 1 | eager | 4.00 | 4.20 | 4.00 | — |"), doc);
    assertTrue(doc.contains("|  | plan | 10.0 | 10.0 | 0.500 | 1.25 |"), doc);
    assertTrue(doc.contains("|  | hand BLAS | 8.00 | 8.00 | 0.400 | 1.00 |"), doc);
    assertTrue(doc.contains("| plan | 2.10 | 1.20 |"), doc);
    assertTrue(doc.contains("| eager | — | — |"), doc);
  }

  @Test
  void gflopsThreadsAndAllocation() {
    // own JVM: 2·256³ flops in 335.54432 µs = 100 GFLOP/s; in turns, the medians
    assertTrue(doc.contains("| 256 | 100 | — | — | — | 47.5 | 50.0 | 0.950 (0.940–0.990) |"), doc);
    assertTrue(doc.contains("| 1024 | — | — | — | — | — | — | — |"), doc);
    assertTrue(doc.contains("| W4 | hand BLAS | 60,000 | 32,000 | 1.88 |"), doc);
    assertTrue(doc.contains("| workload | eager | plan | hand EJML | hand BLAS |"), doc);
    assertTrue(doc.contains("| W1 | 6.00 KiB | — | 0.0010 B | — |"), doc);
    assertTrue(doc.contains("Times drift on shared machines: ratios are what matter."));
    assertTrue(doc.contains("(the benchmarks took 9.0 min)"));
    assertTrue(doc.contains("| load average when the run started | 0.05 |"));
    assertTrue(doc.contains("1 fork, 3 warm-up × 1 s and 5 measured × 1 s per step benchmark"),
        doc);
  }

  @Test
  void theMechanismsDescribedAreTheCurrentOnes() {
    assertTrue(doc.contains("**eager**") && doc.contains("**plan**"), doc);
    assertTrue(doc.contains("β·C") && doc.contains("liveness") && doc.contains("masked"), doc);
    for (String gone : List.of("closed", "re-run tape", "tape.forward", "core.ops.Gemm")) {
      assertFalse(doc.contains(gone), gone);
    }
  }

  @Test
  void numbersHaveThreeSignificantDigits() {
    assertEquals("1.00", Report.num(0.99996));
    assertEquals("0.950", Report.num(0.95));
    assertEquals("100", Report.num(99.97));
    assertEquals("12,346", Report.num(12345.6));
    assertEquals("0.0010", Report.num(0.001));
    assertEquals("0.0000", Report.num(0));
    assertEquals("—", Report.num(Double.NaN));
    assertEquals("∞", Report.num(1 / 0.0));
  }

  @Test
  void aQuickRunSaysSo() {
    String quick = new Report(results).render(setup(true));
    assertTrue(quick.contains("**Quick smoke run**"));
    assertFalse(doc.contains("**Quick smoke run**"));
  }
}
