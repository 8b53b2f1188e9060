// JShell's start-up file for autodiff (see docs/TEACHING.md): the core's types at hand, so that
//   var t = new Tape();
//   var W = t.variable("W", new DMatrixRMaj(new double[][] {{0.3, 0.5}, {0.2, 0.7}}));
// prints W (2×2) [[0.3, 0.5], [0.2, 0.7]]
import dev.autodiff.core.*;
import dev.autodiff.core.check.*;
import dev.autodiff.core.trace.*;
import org.ejml.data.*;
import org.ejml.dense.row.*;
