#include "core/measures/oversmoothing.h"

#include <cmath>
#include <vector>

namespace attnlab {

double mean_pairwise_cosine(const float* x, int rows, int C, int stride) {
  if (rows < 2) return 0.0;
  std::vector<double> sum(C, 0.0);
  int counted = 0;  // rows with a direction
  for (int i = 0; i < rows; ++i) {
    const float* r = x + static_cast<size_t>(i) * stride;
    double ss = 0.0;
    for (int c = 0; c < C; ++c) ss += static_cast<double>(r[c]) * r[c];
    if (ss <= 0.0) continue;
    const double inv = 1.0 / std::sqrt(ss);
    for (int c = 0; c < C; ++c) sum[c] += r[c] * inv;
    ++counted;
  }
  double total = 0.0;
  for (double s : sum) total += s * s;
  // Pairs among the counted rows; pairs with a zero row contribute 0.
  return (total - counted) / (static_cast<double>(rows) * (rows - 1));
}

}  // namespace attnlab
