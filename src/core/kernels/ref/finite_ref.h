// Scalar references for core/kernels/finite.h, templated on the number type.
#pragma once

#include <cmath>
#include <cstddef>

namespace attnlab::ref {

// False if any of x[0, n) is NaN or ±inf.  x: [n]
template <class T>
bool all_finite(const T* x, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(x[i])) return false;
  return true;
}

// Largest |x[i]| over the non-NaN entries (0 if none).  x: [n]
template <class T>
T max_abs(const T* x, size_t n) {
  T m = T(0);
  for (size_t i = 0; i < n; ++i) {
    const T a = std::fabs(x[i]);
    if (a > m) m = a;  // false for NaN: skipped
  }
  return m;
}

}  // namespace attnlab::ref
