package dev.autodiff.nn;

import java.io.IOException;

/** A model file that cannot be used: wrong magic or version, bad checksum, sizes that disagree. */
public final class ModelFileException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A bad model file; the message names the file and what is wrong. */
  public ModelFileException(String message) {
    super(message);
  }
}
