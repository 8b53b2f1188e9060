package dev.autodiff.junit;

import dev.autodiff.core.Shape;
import dev.autodiff.core.check.OpCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.support.AnnotationConsumer;

/**
 * The shapes of {@link ShapeCases}, each a {@link Shape} named by what it is ("row 1×4"), so that
 * a failed case reads as such in the test report. Usable on its own with
 * {@code @ArgumentsSource(ShapeCasesProvider.class)}.
 */
public final class ShapeCasesProvider implements ArgumentsProvider,
    AnnotationConsumer<ShapeCases> {
  private List<Shape> shapes = OpCheck.SHAPES;

  @Override
  public void accept(ShapeCases annotation) {
    if (annotation.value().length > 0) {
      List<Shape> given = new ArrayList<>();
      for (String s : annotation.value()) {
        given.add(parse(s));
      }
      shapes = List.copyOf(given);
    }
  }

  @Override
  public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
    return shapes.stream().map(s -> Arguments.of(Named.of(label(s), s)));
  }

  /** "1×1", "row 1×4", "column 5×1", "tall 3×2", "wide 2×3", "square 3×3". */
  static String label(Shape s) {
    if (s.rows() == 1 && s.cols() == 1) {
      return s.toString();
    }
    String kind = s.rows() == 1 ? "row" : s.cols() == 1 ? "column"
        : s.rows() > s.cols() ? "tall" : s.rows() < s.cols() ? "wide" : "square";
    return kind + " " + s;
  }

  /** "3×2" or "3x2". */
  static Shape parse(String text) {
    String[] parts = text.trim().split("[×xX]");
    try {
      if (parts.length == 2) {
        Shape s = new Shape(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        if (s.rows() >= 1 && s.cols() >= 1) {
          return s;
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("@ShapeCases: \"" + text + "\" is not a shape; write"
        + " rows×cols with both at least 1, e.g. \"3×2\"");
  }
}
