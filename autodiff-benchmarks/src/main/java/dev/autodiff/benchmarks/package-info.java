/**
 * JMH benchmarks of the engine's two ways of taking an SGD step, the eager loop (a new tape per
 * step) and a compiled plan, against the same step written by hand with products by EJML and by
 * OpenBLAS; a Hessian-vector product against one gradient; the penalty spelt as the formula reads
 * against {@code halfSquaredNorm}; the engine's matrix product against OpenBLAS's own; a million-op
 * chain, a Fashion-MNIST epoch, one against two BLAS threads and anomaly detection. The ratios the
 * targets are set on come from implementations taking turns in one JVM ({@link
 * dev.autodiff.benchmarks.Rotation}). {@code autodiff-benchmarks/run} runs them all and {@link
 * dev.autodiff.benchmarks.Report} writes docs/PERFORMANCE.md from JMH's JSON, judging each {@link
 * dev.autodiff.benchmarks.Target}.
 */
package dev.autodiff.benchmarks;
