#include "core/measures/row_measures.h"

#include <algorithm>
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

namespace {
// x log2(x / m) with 0 log 0 = 0.
double kl_term(double x, double m) { return x > 0.0 ? x * std::log2(x / m) : 0.0; }
}  // namespace

double js_divergence_bits(const float* p, const float* q, int n) {
  double js = 0.0, rest_p = 1.0, rest_q = 1.0;
  for (int i = 0; i < n; ++i) {
    const double a = p[i], b = q[i], m = 0.5 * (a + b);
    js += 0.5 * kl_term(a, m) + 0.5 * kl_term(b, m);
    rest_p -= a;
    rest_q -= b;
  }
  rest_p = std::max(0.0, rest_p);
  rest_q = std::max(0.0, rest_q);
  const double m = 0.5 * (rest_p + rest_q);
  if (m > 1e-12) js += 0.5 * kl_term(rest_p, m) + 0.5 * kl_term(rest_q, m);
  return std::max(0.0, js);
}

}  // namespace attnlab
