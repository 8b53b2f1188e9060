/**
 * The built-in ops, each with its forward value and its local gradient in one place. What each
 * op's {@code backward} adds to its inputs, given g = ∂J/∂y:
 *
 * <pre>
 * matmul(a, b)        = a·b      a ← g·bᵀ            b ← aᵀ·g
 * matmulTransB(a, b)  = a·bᵀ     a ← g·b             b ← gᵀ·a
 * add(a, b)           = a + b    a ← Σ↓g             b ← Σ↓g         (Σ↓: summed over broadcast dims)
 * sub(a, b)           = a − b    a ← Σ↓g             b ← −Σ↓g
 * mul(a, b)           = a ⊙ b    a ← Σ↓(g ⊙ b)       b ← Σ↓(g ⊙ a)
 * div(a, b)           = a ⊘ b    a ← Σ↓(g ⊘ b)       b ← −Σ↓(g ⊙ y ⊘ b)
 * scale(x; α)         = αx       x ← αg
 * neg(x)              = −x       x ← −g
 * square(x)           = x²       x ← 2x ⊙ g
 * relu(x)             = max(0,x) x ← g ⊙ [x &gt; 0]      (0 at exactly 0)
 * sigmoid(x)          = σ(x)     x ← g ⊙ y(1 − y)
 * tanh(x)             = tanh x   x ← g ⊙ (1 − y²)
 * exp(x)              = eˣ       x ← g ⊙ y
 * log(x)              = ln x     x ← g ⊘ x            (x &gt; 0 required)
 * sqrt(x)             = √x       x ← g ⊘ 2y           (x ≥ 0 required; 0 at x = 0)
 * transpose(x)        = xᵀ       x ← gᵀ
 * sum(x), mean(x)     = 1×1      x ← g·1, g·1/N
 * sumRows(x)          = m×1      x ← g spread along each row
 * sumCols(x)          = 1×n      x ← g spread down each column
 * frobeniusNorm(x)    = ‖x‖_F    x ← (g / y)·x        (0 at x = 0)
 * softmax(x)          rows       x ← y ⊙ (g − Σ_row g ⊙ y)
 * logSoftmax(x)       rows       x ← g − softmax(x) ⊙ Σ_row g
 * </pre>
 *
 * <p>Every matrix product goes through {@link dev.autodiff.core.ops.Gemm}, transposes as flags.
 */
package dev.autodiff.core.ops;
