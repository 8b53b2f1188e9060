package dev.autodiff.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Runs a {@code @ParameterizedTest} once per shape, its one argument a {@link
 * dev.autodiff.core.Shape}: by default {@link dev.autodiff.core.check.OpCheck#SHAPES}, 1×1, a row
 * 1×4, a column 5×1, tall 3×2, wide 2×3 and square 3×3, each named so in the test report.
 *
 * <pre>{@code
 * @ParameterizedTest
 * @ShapeCases
 * void logCoshGradientsAreRight(Shape shape) {
 *   OpCheck.of(new LogCosh()).check(shape).assertPassed();
 * }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ArgumentsSource(ShapeCasesProvider.class)
public @interface ShapeCases {
  /** Other shapes, each written "rows×cols" (or "rowsxcols"); none for the standard table. */
  String[] value() default {};
}
