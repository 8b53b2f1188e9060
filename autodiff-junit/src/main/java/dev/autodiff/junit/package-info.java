/**
 * Gradient checks as JUnit 5 tests: {@link dev.autodiff.junit.ShapeCases} runs a parameterized
 * test over a table of shapes, for {@link dev.autodiff.core.check.OpCheck} to check an op in each.
 * The checks themselves, and their {@code assertPassed()} that fails a test with the report as its
 * message, live in {@code autodiff-core}, which depends on no test framework.
 */
package dev.autodiff.junit;
