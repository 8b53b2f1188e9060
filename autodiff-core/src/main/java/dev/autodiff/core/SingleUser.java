package dev.autodiff.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Lets one thread at a time use an object (a tape, a plan), whichever thread it is: a notebook may
 * run each cell on another pooled thread. A second thread arriving while the first is inside gets
 * an {@link IllegalStateException} rather than a corrupted record.
 */
final class SingleUser {
  private static final VarHandle USER;

  static {
    try {
      USER = MethodHandles.lookup().findVarHandle(SingleUser.class, "user", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String what;
  @SuppressWarnings("unused") // set through USER
  private volatile Thread user;

  SingleUser(String what) {
    this.what = what;
  }

  /**
   * Takes the object for this thread; false when the thread already has it (a call within a
   * call).
   */
  boolean enter() {
    Thread me = Thread.currentThread();
    if (user == me) {
      return false;
    }
    if (!USER.compareAndSet(this, null, me)) {
      Thread other = user;
      throw new IllegalStateException("this " + what + " is in use by another thread ("
          + (other != null ? other.getName() : "just finished") + "): a " + what
          + " may be used from any thread, but by one at a time");
    }
    return true;
  }

  /** Gives the object back if {@link #enter} took it. */
  void exit(boolean entered) {
    if (entered) {
      // a release store publishes the work done inside to the next thread's enter, whose
      // compare-and-set reads it; it needs no fence of its own
      USER.setRelease(this, null);
    }
  }
}
