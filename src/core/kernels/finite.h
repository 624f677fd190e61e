// Cheap whole-array checks a training loop runs on gradients (or parameters)
// before the optimizer step, so one NaN or inf stops training instead of
// spreading into every parameter. The scalar references are in
// core/kernels/ref/finite_ref.h.
#pragma once

#include <cstddef>

namespace attnlab {

// False if any of x[0, n) is NaN, +inf or -inf; true for n == 0.  x: [n]
bool all_finite(const float* x, size_t n);

// The largest |x[i]|; +inf if any entry is ±inf; 0 for n == 0.
// NaN entries are skipped (every comparison with NaN is false), so the result
// is the largest magnitude among the other entries, on every architecture.
// Use all_finite to detect NaN.  x: [n]
float max_abs(const float* x, size_t n);

}  // namespace attnlab
