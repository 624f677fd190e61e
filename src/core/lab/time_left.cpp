#include "core/lab/time_left.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace attnlab {

double estimate_seconds_left(double fraction_done, double elapsed_seconds) {
  if (fraction_done >= 1.0) return 0.0;
  if (!(fraction_done >= 0.02) || !(elapsed_seconds >= 1.0)) return std::numeric_limits<double>::quiet_NaN();
  return elapsed_seconds * (1.0 - fraction_done) / fraction_done;
}

double run_seconds_left(int step, int steps, double steps_per_second) {
  if (step >= steps) return 0.0;
  if (!(steps_per_second > 0)) return std::numeric_limits<double>::quiet_NaN();
  return (steps - step) / steps_per_second;
}

std::string time_left_text(double seconds) {
  if (std::isnan(seconds)) return "estimating the time left";
  char text[64];
  // Whole seconds under a minute; above, minutes and seconds rounded to 10 s (the estimate is not finer).
  const long s = std::lround(seconds);
  if (s < 1) {
    std::snprintf(text, sizeof text, "under a second left");
  } else if (s < 60) {
    std::snprintf(text, sizeof text, "about %ld s left", s);
  } else {
    const long r = (s + 5) / 10 * 10;
    if (r % 60 == 0) std::snprintf(text, sizeof text, "about %ld min left", r / 60);
    else std::snprintf(text, sizeof text, "about %ld min %ld s left", r / 60, r % 60);
  }
  return text;
}

}  // namespace attnlab
