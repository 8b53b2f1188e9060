package dev.autodiff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SparkSectionTest {
  static SparkSection.Run sample() throws Exception {
    return SparkSection.read(Path.of(SparkSectionTest.class.getResource("/spark-sample.json")
        .toURI()));
  }

  @Test
  void rendersTheMediansTheRatiosAndTheLoad() throws Exception {
    String s = SparkSection.render(Optional.of(sample()), "autodiff-benchmarks/run");
    assertTrue(s.startsWith(SparkSection.TITLE + "\n\n"), s);
    assertTrue(s.contains("(1,863,690 parameters, 14.9 MB as doubles)"), s);
    assertTrue(s.contains("the load average 0.50 when it started"), s);
    assertTrue(s.contains("| local[1] | 1 | 200 | 380 | 1.90 (1.48–1.95) | 27.5 |"), s);
    assertTrue(s.contains("| local[2] | 2 | 200 | 240 | 1.20 (1.15–1.25) | 13.5 |"), s);
    // 9.79 GFLOP in the median one-JVM step of 200 ms
    assertTrue(s.contains("9.79 GFLOP (products only"), s);
    assertTrue(s.contains("49.0 GFLOP/s on one core"), s);
  }

  @Test
  void aRunWithoutItSaysHowToMeasureIt() {
    assertTrue(SparkSection.render(Optional.empty(), "x").contains("`autodiff-benchmarks/run "
        + "--spark-only` measures it and writes this section alone"));
  }

  @Test
  void spliceReplacesTheSectionAndNothingElse() {
    String doc = "# Performance\n\n## (l) x\n\ntable\n\n" + SparkSection.TITLE + "\n\nold\n\n";
    assertEquals("# Performance\n\n## (l) x\n\ntable\n\n" + SparkSection.TITLE + "\n\nnew\n\n",
        SparkSection.splice(doc, SparkSection.TITLE + "\n\nnew\n\n"));
    String middle = SparkSection.TITLE + "\n\nold\n\n## (n) later\n\nkept\n";
    assertEquals(SparkSection.TITLE + "\n\nnew\n\n## (n) later\n\nkept\n",
        SparkSection.splice(middle, SparkSection.TITLE + "\n\nnew\n\n"));
    assertEquals("# P\n\nt\n\n" + SparkSection.TITLE + "\n\nnew\n\n",
        SparkSection.splice("# P\n\nt\n", SparkSection.TITLE + "\n\nnew\n\n"));
  }
}
