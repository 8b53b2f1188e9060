package dev.autodiff.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.autodiff.core.Node;
import dev.autodiff.core.Shape;
import dev.autodiff.core.check.OpCheck;
import java.util.List;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

class ShapeCasesTest {

  @ParameterizedTest
  @ShapeCases
  void tanhGradientsAreRight(Shape shape) {
    OpCheck.of(Node::tanh).check(shape).assertPassed();
  }

  @ParameterizedTest
  @ShapeCases({"4×4", "2x5"})
  void matmulOfANodeByItsTransposeIsRight(Shape shape) {
    OpCheck.of(x -> x.matmul(x.transpose())).check(shape).assertPassed();
  }

  @Test
  void theStandardTableIsOpChecksShapesNamedByWhatTheyAre() {
    assertEquals(List.of("1×1", "row 1×4", "column 5×1", "tall 3×2", "wide 2×3", "square 3×3"),
        names(new ShapeCasesProvider()));
  }

  @Test
  void shapesGivenInTheAnnotationReplaceTheTable() throws Exception {
    ShapeCasesProvider p = new ShapeCasesProvider();
    p.accept(getClass().getDeclaredMethod("matmulOfANodeByItsTransposeIsRight", Shape.class)
        .getAnnotation(ShapeCases.class));
    assertEquals(List.of("square 4×4", "wide 2×5"), names(p));
  }

  @Test
  void aShapeThatIsNoneIsRejectedSayingHowToWriteOne() {
    var e = assertThrows(IllegalArgumentException.class, () -> ShapeCasesProvider.parse("3 by 2"));
    assertEquals("@ShapeCases: \"3 by 2\" is not a shape; write rows×cols with both at least 1,"
        + " e.g. \"3×2\"", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ShapeCasesProvider.parse("0×2"));
  }

  private static List<String> names(ShapeCasesProvider p) {
    return p.provideArguments(null).map(a -> ((Named<?>) a.get()[0]).getName()).toList();
  }
}
