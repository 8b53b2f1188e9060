package dev.autodiff.core;

/**
 * A NaN or ±∞ found by anomaly detection ({@link Tape#detectAnomalies}). The message names the op,
 * its nodes and the entry; the cause, when known, carries the stack trace of the node's creation.
 */
public final class AnomalyException extends ArithmeticException {
  private final transient Node node;

  AnomalyException(String message, Node node, Throwable creation) {
    super(message);
    this.node = node;
    if (creation != null) {
      initCause(creation);
    }
  }

  /** The node whose forward value or backward step held the NaN or ±∞. */
  public Node node() {
    return node;
  }
}
