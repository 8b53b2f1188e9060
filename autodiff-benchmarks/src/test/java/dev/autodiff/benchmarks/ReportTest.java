package dev.autodiff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReportTest {
  static List<Report.Result> results;
  static String doc;

  @BeforeAll
  static void render() throws Exception {
    results = Report.read(Path.of(ReportTest.class.getResource("/jmh-sample.json").toURI()));
    Report.Setup setup = new Report.Setup("Test CPU", 2, "Java 17", "Linux", "OpenBLAS 0.3.30",
        "Haswell", "autodiff-benchmarks/run", false, 540, "random rows", "0.05");
    doc = new Report(results).render(setup);
  }

  @Test
  void readsJmhJsonIncludingNaNErrors() {
    assertEquals(10, results.size());
    Report.Result first = results.get(0);
    assertEquals("StepBenchmark.step", first.name());
    assertEquals(4.0, first.median());
    assertEquals(4.2, first.mean());
    assertEquals(6144.0, first.allocated().orElseThrow());
    assertTrue(Double.isNaN(results.get(1).primaryMetric().scoreError()));
    Report.Metric ratio = results.get(8).secondary("engineOverEjml").orElseThrow();
    assertEquals(0.105, ratio.median());
    assertEquals(List.of(0.1, 0.105, 0.13), ratio.iterations());
  }

  @Test
  void targetsAreJudgedOnTheInterleavedRatios() {
    // W3: median of the iterations' own ratios 0.105 ≤ 0.12, shown with their range; against BLAS
    // 1.15 > 1.10; workloads with no interleaved run show dashes
    assertTrue(doc.contains("| W3 784-256-10, batch 64 | 2,100 | 20,000 | 2,000 | 0.105 (0.100–0.130)"
        + " | ≤ 0.120 | met | 1.15 (1.05–1.20) | ≤ 1.10 | **not met** |"), doc);
    assertTrue(doc.contains("| W1 2-3-2, batch 1 | — | — | — | — | ≤ 5.00 | — | — | ≤ 1.10 | — |"),
        doc);
  }

  @Test
  void ownJvmTablesGiveRatiosOfMedians() {
    // W1: 4.0 / 1.0; W2: 10 / 10; W2 against BLAS: 10 / 9.5
    assertTrue(doc.contains("| W1 2-3-2, batch 1 | engine | 4.00 | 4.20 | 4.00 |"), doc);
    assertTrue(doc.contains("| W2 64-32-10, batch 32 | engine | 10.0 | 10.0 | 1.00 |"), doc);
    assertTrue(doc.contains("| W2 | 10.0 | 9.50 | 1.05 | — | — |"), doc);
  }

  @Test
  void gflopsThreadsAndAllocation() {
    // own JVM: 2·256³ flops in 335.54432 µs = 100 GFLOP/s; in turns: the median 42 ≥ 40 decides
    assertTrue(doc.contains("| 256 | 100 | — | — | — | 42.0 (38.0–45.0) | 50.0 | 0.840 | ≥ 40.0 |"
        + " met |"), doc);
    assertTrue(doc.contains("| 512 | — | — | — | — | — | — | — | ≥ 40.0 | — |"), doc);
    assertTrue(doc.contains("| W4 | hand BLAS | 60,000 | 32,000 | 1.88 |"), doc);
    assertTrue(doc.contains("| workload | engine | engine, tapes not closed | engine, re-run tape | hand EJML | hand BLAS |"), doc);
    assertTrue(doc.contains("| W1 | 6.00 KiB | — | — | 0.0010 B | — |"), doc);
    assertTrue(doc.contains("Times drift on shared machines: ratios are what matter."));
    assertTrue(doc.contains("(the benchmarks took 9.0 min)"));
    assertTrue(doc.contains("| load average when the run started | 0.05 |"));
  }
}
