// Plot axes: see plot_axes.h.
//
// Index
//   - numbers   nice steps, tick label text (decimals from the step, k/M, 10ⁿ)
//   - axes      ranges from the data, ticks that fit without overlapping
#include "app/ui/plot_axes.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace attnlab::axes {

// ---- numbers --------------------------------------------------------------

// The smallest 1, 2 or 5 x 10^k that is >= raw.
double nice_step(double raw) {
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double m = raw / mag;
  return (m <= 1.0 + 1e-9 ? 1.0 : m <= 2.0 + 1e-9 ? 2.0 : m <= 5.0 + 1e-9 ? 5.0 : 10.0) * mag;
}

// 1 -> 2 -> 5 -> 10 (x 10^k), and back.
double next_nice_step(double step) {
  const double mag = std::pow(10.0, std::floor(std::log10(step) + 1e-6));
  const double m = step / mag;
  return (m < 1.5 ? 2.0 : m < 3.5 ? 5.0 : 10.0) * mag;
}

double previous_nice_step(double step) {
  const double mag = std::pow(10.0, std::floor(std::log10(step) + 1e-6));
  const double m = step / mag;
  return (m < 1.5 ? 0.5 : m < 3.5 ? 1.0 : 2.0) * mag;
}

static int decimals_for(double step) { return std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-6))); }

// "%.3g" with a plain exponent: 2e-5 rather than 2e-05, 1.5e30 rather than 1.5e+30.
static void scientific_label(double v, char* buf, int size) {
  char raw[24];  // "%.3g" needs at most 10 ("-1.23e-308")
  std::snprintf(raw, sizeof raw, "%.3g", v);
  char* e = std::strchr(raw, 'e');
  if (!e) {
    std::snprintf(buf, size, "%s", raw);
    return;
  }
  *e = '\0';
  std::snprintf(buf, size, "%se%d", raw, std::atoi(e + 1));
}

// Linear tick text: as many decimals as the step needs. On axes that reach
// 10⁴ with round-thousand steps, "k" and "M" with trailing zeros dropped
// (0, 500k, 1M, 1.5M).
void linear_label(double v, double step, double max_abs, char* buf, int size) {
  if (max_abs >= 1e4 && max_abs < 1e10 && step >= 1e3) {
    const bool mega = std::fabs(v) >= 1e6 - 0.5;
    const double unit = mega ? 1e6 : 1e3;
    std::snprintf(buf, size, "%.*f", decimals_for(step / unit), v / unit);
    if (std::strchr(buf, '.')) {
      char* end = buf + std::strlen(buf);
      while (end[-1] == '0') *--end = '\0';
      if (end[-1] == '.') *--end = '\0';
    }
    if (v != 0.0) std::snprintf(buf + std::strlen(buf), size - std::strlen(buf), "%s", mega ? "M" : "k");
    return;
  }
  const int d = decimals_for(step);
  if (d > 5 || max_abs >= 1e9)
    scientific_label(v, buf, size);
  else
    std::snprintf(buf, size, "%.*f", d, v);
}

// Appends k as superscript digits (UTF-8), e.g. -5 -> "⁻⁵".
static void append_superscript(int k, char* buf, int size) {
  static const char* const kDigits[] = {"\u2070", "\u00b9", "\u00b2", "\u00b3", "\u2074",
                                        "\u2075", "\u2076", "\u2077", "\u2078", "\u2079"};
  char digits[16];
  std::snprintf(digits, sizeof digits, "%d", k);
  for (const char* c = digits; *c; ++c) {
    const char* sup = *c == '-' ? "\u207b" : kDigits[*c - '0'];
    const int used = static_cast<int>(std::strlen(buf));
    std::snprintf(buf + used, size - used, "%s", sup);
  }
}

// Log tick text for m x 10^k: plain numbers from 0.001 to 9999, then k and M;
// "m·10ᵏ" beyond, or everywhere when `powers` (one style per axis).
void log_label(double v, bool powers, char* buf, int size) {
  if (!powers && v >= 1e-3 * (1.0 - 1e-9) && v < 1e10) {
    if (v < 1e4)
      std::snprintf(buf, size, "%g", v);
    else if (v < 1e6 * (1.0 - 1e-9))
      std::snprintf(buf, size, "%gk", v / 1e3);
    else
      std::snprintf(buf, size, "%gM", v / 1e6);
    return;
  }
  const int k = static_cast<int>(std::floor(std::log10(v) + 1e-9));
  const int m = static_cast<int>(std::lround(v / std::pow(10.0, k)));
  if (m == 1)
    std::snprintf(buf, size, "10");
  else
    std::snprintf(buf, size, "%d\u00b710", m);
  append_superscript(k, buf, size);
}

// ---- axes -----------------------------------------------------------------




// An axis range: fixed bounds as given, the others from the data (padded by
// pad x the spread), widened when the data has a single value. Returns false
// when neither data nor a fixed bound decides the range (no ticks then).
bool resolve_range(double fixed_lo, double fixed_hi, const Extent& data, bool log, double pad, Axis* axis) {
  auto usable = [&](double v) { return std::isfinite(v) && (!log || v > 0.0); };
  auto fwd = [&](double v) { return log ? std::log10(v) : v; };
  const bool has_lo = usable(fixed_lo), has_hi = usable(fixed_hi);
  double lo = data.empty() ? 0.0 : fwd(data.lo), hi = data.empty() ? 1.0 : fwd(data.hi);
  if (has_lo) lo = fwd(fixed_lo);
  if (has_hi) hi = fwd(fixed_hi);
  if (data.empty() && has_lo != has_hi) (has_lo ? hi : lo) = (has_lo ? lo + 1.0 : hi - 1.0);
  if (lo > hi) {
    if (has_lo && !has_hi) {
      hi = lo;
    } else if (has_hi && !has_lo) {
      lo = hi;
    } else {
      std::swap(lo, hi);
    }
  }
  const double spread = hi - lo;
  if (!(spread > 1e-9 * std::max(std::fabs(lo), std::fabs(hi)))) {
    // One value (a single point, or all equal): give it room around it.
    const double half = log ? 0.5 : (lo == 0.0 ? 0.5 : 0.1 * std::fabs(lo));
    if (has_lo && !has_hi) {
      hi = lo + 2.0 * half;
    } else if (has_hi && !has_lo) {
      lo = hi - 2.0 * half;
    } else {
      lo -= half;
      hi += half;
    }
  } else {
    if (!has_lo) lo -= spread * pad;
    if (!has_hi) hi += spread * pad;
  }
  // Padding should not invent negative values for a quantity that is >= 0 (loss, mass).
  if (!log && !has_lo && !data.empty() && data.lo >= 0.0 && lo < 0.0) lo = 0.0;
  // Keep within what doubles hold (and what their difference holds).
  const double limit = log ? 300.0 : 4e307;
  lo = std::clamp(lo, -limit, limit);
  hi = std::clamp(hi, -limit, limit);
  if (!(hi > lo)) {
    lo = 0.0;
    hi = 1.0;
  }
  axis->log = log;
  axis->lo = log ? std::pow(10.0, lo) : lo;
  axis->hi = log ? std::pow(10.0, hi) : hi;
  return !data.empty() || has_lo || has_hi;
}


static void add_tick(double value, bool major, bool labelled, const char* text, const TickMetrics& m, std::vector<Tick>* out) {
  Tick t;
  t.value = value;
  t.major = major;
  t.labelled = labelled;
  if (labelled) {
    std::snprintf(t.text, sizeof t.text, "%s", text);
    t.width = m.text_width(t.text);
  }
  out->push_back(t);
}

static void linear_ticks(const Axis& a, double step, const TickMetrics& m, std::vector<Tick>* out) {
  out->clear();
  const double max_abs = std::max(std::fabs(a.lo), std::fabs(a.hi));
  const double first = std::ceil(a.lo / step - 1e-9) * step;
  for (int i = 0; i < 200; ++i) {
    double v = first + i * step;
    if (v > a.hi + step * 1e-9) break;
    if (std::fabs(v) < step * 1e-9) v = 0.0;  // not "-0.00"
    char text[32];
    linear_label(v, step, max_abs, text, sizeof text);
    add_tick(v, true, true, text, m, out);
  }
}

// 10^k are major ticks (unlabelled ones only when `decades`, i.e. when they
// are far enough apart). mantissas: 0 labels 10^k only (every `every` decades,
// from k = offset), 1 also 2 and 5 x 10^k, 2 every m x 10^k. The unlabelled
// 2..9 x 10^k are minor ticks when `minor`.
static void log_ticks(const Axis& a, int mantissas, int every, int offset, bool decades, bool minor,
               const TickMetrics& tm, std::vector<Tick>* out) {
  out->clear();
  const bool powers = a.lo < 1e-3 * (1.0 - 1e-9) || a.hi >= 1e10;  // some ticks need 10ᵏ: all use it
  const int k0 = static_cast<int>(std::floor(std::log10(a.lo))) - 1;
  const int k1 = static_cast<int>(std::ceil(std::log10(a.hi))) + 1;
  for (int k = k0; k <= k1; ++k)
    for (int m = 1; m <= 9; ++m) {
      const double v = m * std::pow(10.0, k);
      if (v < a.lo * (1.0 - 1e-9) || v > a.hi * (1.0 + 1e-9)) continue;
      const bool labelled = m == 1 ? ((k - offset) % every + every) % every == 0
                                   : mantissas == 2 || (mantissas == 1 && (m == 2 || m == 5));
      if (!labelled && !(m == 1 ? decades : minor)) continue;
      char text[32] = "";
      if (labelled) log_label(v, powers, text, sizeof text);
      add_tick(v, m == 1, labelled, text, tm, out);
    }
}

static int count_labelled(const std::vector<Tick>& ticks) {
  return static_cast<int>(std::count_if(ticks.begin(), ticks.end(), [](const Tick& t) { return t.labelled; }));
}

// Do the labels leave `gap` pixels between each other? x: side by side,
// centred on their ticks; y: stacked, one text line each.
static bool labels_fit(const std::vector<Tick>& ticks, const Axis& a, bool horizontal, float gap, const TickMetrics& m) {
  const float line = m.line_height;
  const Tick* prev = nullptr;
  for (const Tick& t : ticks) {
    if (!t.labelled) continue;
    if (prev) {
      const float d = std::fabs(a.to_px(t.value) - a.to_px(prev->value));
      if (d < (horizontal ? 0.5f * (t.width + prev->width) + gap : line + gap)) return false;
    }
    prev = &t;
  }
  return true;
}

// As many ticks as fit: linear 1/2/5 x 10^k steps; log powers of ten (thinned
// to every 2nd, 3rd... decade when crowded) with 2 and 5 labelled too when the
// range spans few decades, and unlabelled minor ticks.
void choose_ticks(const Axis& a, bool horizontal, bool integer, const TickMetrics& m, std::vector<Tick>* out) {
  auto px = [&](float css) { return css * m.unit; };
  const float length = std::fabs(a.p_hi - a.p_lo);
  const float gap = horizontal ? px(14.0f) : px(6.0f);
  if (a.log) {
    const double decades = std::log10(a.hi / a.lo);
    const bool decade_ticks = length / decades >= px(8.0f), minor = length / decades >= px(40.0f);
    // Powers of ten, thinned to every 2nd, 3rd, 6th... decade (counting from
    // the first one on the axis) until they fit.
    const int first_decade = static_cast<int>(std::ceil(std::log10(a.lo) - 1e-9));
    std::vector<Tick> best, trial;
    for (int every = 1;; every = every < 3 ? every + 1 : every * 2) {
      log_ticks(a, 0, every, first_decade, decade_ticks, minor, m, &best);
      if (labels_fit(best, a, horizontal, gap, m) || every > decades) break;
    }
    // Few decades: 2 and 5 (then every mantissa) labelled too, when they fit.
    for (int mantissas = 1; mantissas <= 2 && count_labelled(best) < 3; ++mantissas) {
      log_ticks(a, mantissas, 1, 0, decade_ticks, minor, m, &trial);
      if (labels_fit(trial, a, horizontal, gap, m) && count_labelled(trial) > count_labelled(best)) best.swap(trial);
    }
    if (count_labelled(best) >= 2 || decades > 1.0) {
      out->swap(best);
      return;
    }
    // Within about a decade (e.g. 2..8): plain nice numbers read better.
  }
  const double range = a.hi - a.lo;
  const float target = horizontal ? px(90.0f) : std::max(px(44.0f), 2.2f * m.line_height);
  double step = nice_step(range / std::max(1.0f, length / target));
  if (integer) step = std::max(step, 1.0);
  for (int attempt = 0; attempt < 24; ++attempt) {
    linear_ticks(a, step, m, out);
    if (labels_fit(*out, a, horizontal, gap, m)) break;
    step = next_nice_step(step);
  }
  // Short axes: a finer step, when it fits, so there are at least 3 numbers to read.
  std::vector<Tick> finer;
  while (count_labelled(*out) < 3 && !(integer && step <= 1.0)) {
    step = previous_nice_step(step);
    linear_ticks(a, step, m, &finer);
    if (!labels_fit(finer, a, horizontal, gap, m)) break;
    out->swap(finer);
  }
}

}  // namespace attnlab::axes
