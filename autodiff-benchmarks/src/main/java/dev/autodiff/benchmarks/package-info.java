/**
 * JMH benchmarks of the engine against the same SGD step written by hand, with products by EJML (the
 * baseline) and by OpenBLAS, plus matrix-product GFLOP/s, a million-op chain, a Fashion-MNIST epoch
 * and one against two BLAS threads. {@code autodiff-benchmarks/run} runs them all and {@link
 * dev.autodiff.benchmarks.Report} writes docs/PERFORMANCE.md from JMH's JSON.
 */
package dev.autodiff.benchmarks;
