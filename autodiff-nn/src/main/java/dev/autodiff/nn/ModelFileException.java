package dev.autodiff.nn;

import java.io.IOException;

/** A model file that cannot be used: wrong magic or version, bad checksum, sizes that disagree. */
public final class ModelFileException extends IOException {
  private static final long serialVersionUID = 1L;

  public ModelFileException(String message) {
    super(message);
  }
}
