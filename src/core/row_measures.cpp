#include "core/row_measures.h"

#include <cmath>

namespace attnlab {

double row_entropy(const float* p, int n) {
  double h = 0.0;
  for (int i = 0; i < n; ++i)
    if (p[i] > 0.0f) h -= static_cast<double>(p[i]) * std::log(static_cast<double>(p[i]));
  return h;
}

double row_entropy_normalized(const float* p, int n) {
  return n < 2 ? 0.0 : row_entropy(p, n) / std::log(static_cast<double>(n));
}

int row_argmax(const float* p, int n) {
  int best = n > 0 ? 0 : -1;
  for (int i = 1; i < n; ++i)
    if (p[i] > p[best]) best = i;
  return best;
}

double row_mass(const float* p, int first, int count) {
  double s = 0.0;
  for (int i = first; i < first + count; ++i) s += p[i];
  return s;
}

}  // namespace attnlab
