/**
 * Files the library writes (traces, pages, graphs) and that programs built on it may write too
 * (models, plots), each replaced whole or not at all: {@link dev.autodiff.core.io.AtomicFiles}.
 */
package dev.autodiff.core.io;
