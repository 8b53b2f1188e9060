package dev.autodiff.spark;

import dev.autodiff.nn.Loss;
import dev.autodiff.nn.Losses;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * A loss as it travels to the executors: the name of one of {@link Losses}' constants, looked up
 * again there, or the loss itself when it is Serializable.
 */
record LossRef(String constant, Loss serializable) implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * @throws IllegalArgumentException for a loss that is neither one of Losses' constants nor
   *     Serializable, naming it
   */
  static LossRef of(Loss loss) {
    for (Field f : Losses.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == Loss.class
          && read(f) == loss) {
        return new LossRef(f.getName(), null);
      }
    }
    if (loss instanceof Serializable) {
      return new LossRef(null, loss);
    }
    throw new IllegalArgumentException("the loss '" + loss.name() + "' cannot be sent to the "
        + "executors: use one of Losses' constants, or a loss class that implements Serializable");
  }

  Loss get() {
    if (constant == null) {
      return serializable;
    }
    try {
      return read(Losses.class.getField(constant));
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException("Losses." + constant + " is not on this executor's "
          + "classpath: the driver and the executors run different versions of autodiff-nn", e);
    }
  }

  private static Loss read(Field f) {
    try {
      return (Loss) f.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
