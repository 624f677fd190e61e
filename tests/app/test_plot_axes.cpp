// The plots' axes without a window: ranges, nice steps, tick labels, and
// ticks that fit without overlapping (app/ui/plot_axes.h).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "app/ui/plot_axes.h"

namespace attnlab::axes {
namespace {

// Every character 7 pixels wide, lines 16 pixels high, at CSS scale 1.
TickMetrics fixed_metrics() {
  return {1.0f, 16.0f, [](const char* t) { return 7.0f * static_cast<float>(std::strlen(t)); }};
}

Axis axis(double lo, double hi, float length, bool log = false) {
  Axis a;
  a.log = log;
  a.lo = lo;
  a.hi = hi;
  a.p_lo = 0.0f;
  a.p_hi = length;
  return a;
}

std::vector<std::string> labels(const std::vector<Tick>& ticks) {
  std::vector<std::string> out;
  for (const Tick& t : ticks)
    if (t.labelled) out.push_back(t.text);
  return out;
}

std::string label(double v, double step, double max_abs) {
  char buf[32];
  linear_label(v, step, max_abs, buf, sizeof buf);
  return buf;
}

TEST(PlotAxes, NiceStepsAreOneTwoOrFiveTimesAPowerOfTen) {
  EXPECT_DOUBLE_EQ(nice_step(0.13), 0.2);
  EXPECT_DOUBLE_EQ(nice_step(1.0), 1.0);
  EXPECT_DOUBLE_EQ(nice_step(3.0), 5.0);
  EXPECT_DOUBLE_EQ(nice_step(7.0), 10.0);
  EXPECT_DOUBLE_EQ(nice_step(420.0), 500.0);
  EXPECT_DOUBLE_EQ(next_nice_step(2.0), 5.0);
  EXPECT_DOUBLE_EQ(next_nice_step(5.0), 10.0);
  EXPECT_DOUBLE_EQ(previous_nice_step(1.0), 0.5);
  EXPECT_DOUBLE_EQ(previous_nice_step(0.5), 0.2);
}

TEST(PlotAxes, LinearLabelsTakeTheirDecimalsFromTheStep) {
  EXPECT_EQ(label(0.25, 0.05, 1.0), "0.25");
  EXPECT_EQ(label(0.2, 0.2, 1.0), "0.2");
  EXPECT_EQ(label(300, 100, 1000), "300");
  EXPECT_EQ(label(1.5e6, 5e5, 2e6), "1.5M");
  EXPECT_EQ(label(5e5, 5e5, 2e6), "500k");
  EXPECT_EQ(label(0, 5e5, 2e6), "0");
  EXPECT_EQ(label(2e-7, 1e-7, 1e-6), "2e-7");  // too many decimals: scientific, with a plain exponent
}

TEST(PlotAxes, LogLabelsArePlainNumbersThenPowers) {
  char buf[32];
  log_label(100, false, buf, sizeof buf);
  EXPECT_STREQ(buf, "100");
  log_label(2e4, false, buf, sizeof buf);
  EXPECT_STREQ(buf, "20k");
  log_label(1e-5, true, buf, sizeof buf);
  EXPECT_STREQ(buf, "10\u207b\u2075");
}

TEST(PlotAxes, RangesFromFixedBoundsAndData) {
  Extent data;
  data.add(0.2);
  data.add(0.8);
  Axis a;
  ASSERT_TRUE(resolve_range(0.0, 1.0, data, false, 0.06, &a));
  EXPECT_EQ(a.lo, 0.0);
  EXPECT_EQ(a.hi, 1.0);
  // From the data, padded, but never below 0 for data that is >= 0.
  ASSERT_TRUE(resolve_range(NAN, NAN, data, false, 0.1, &a));
  EXPECT_NEAR(a.lo, 0.14, 1e-12);
  EXPECT_NEAR(a.hi, 0.86, 1e-12);
  Extent near_zero;
  near_zero.add(0.01);
  near_zero.add(1.0);
  ASSERT_TRUE(resolve_range(NAN, NAN, near_zero, false, 0.5, &a));
  EXPECT_EQ(a.lo, 0.0);
  // One value gets room around it.
  Extent one;
  one.add(5.0);
  ASSERT_TRUE(resolve_range(NAN, NAN, one, false, 0.06, &a));
  EXPECT_LT(a.lo, 5.0);
  EXPECT_GT(a.hi, 5.0);
  // Nothing decides the range: no ticks.
  EXPECT_FALSE(resolve_range(NAN, NAN, Extent(), false, 0.06, &a));
}

TEST(PlotAxes, PixelsAndDataRoundTrip) {
  const Axis lin = axis(-2.0, 6.0, 400.0f);
  EXPECT_FLOAT_EQ(lin.to_px(2.0), 200.0f);
  EXPECT_NEAR(lin.from_px(100.0f), 0.0, 1e-9);
  const Axis log = axis(1.0, 1e4, 400.0f, true);
  EXPECT_FLOAT_EQ(log.to_px(100.0), 200.0f);
  EXPECT_NEAR(log.from_px(300.0f), 1000.0, 1e-6);
  EXPECT_FALSE(log.valid(0.0));
  EXPECT_FALSE(lin.valid(NAN));
}

// Labels never overlap: side by side on x (7 px a character, 14 px apart at
// least), one line each on y.
void expect_no_overlap(const std::vector<Tick>& ticks, const Axis& a, bool horizontal) {
  const Tick* prev = nullptr;
  for (const Tick& t : ticks) {
    if (!t.labelled) continue;
    if (prev) {
      const float d = std::fabs(a.to_px(t.value) - a.to_px(prev->value));
      EXPECT_GE(d, horizontal ? 0.5f * (t.width + prev->width) : 16.0f) << prev->text << " and " << t.text;
    }
    prev = &t;
  }
}

TEST(PlotAxes, LinearTicksAreNiceFitAndCoverTheRange) {
  for (float length : {120.0f, 300.0f, 800.0f}) {
    const Axis a = axis(0.0, 1.0, length);
    std::vector<Tick> ticks;
    choose_ticks(a, true, false, fixed_metrics(), &ticks);
    const std::vector<std::string> l = labels(ticks);
    ASSERT_GE(l.size(), 3u) << length;
    expect_no_overlap(ticks, a, true);
    const double step = ticks[1].value - ticks[0].value;
    EXPECT_DOUBLE_EQ(step, nice_step(step)) << length;
    for (const Tick& t : ticks) {
      EXPECT_GE(t.value, 0.0);
      EXPECT_LE(t.value, 1.0 + 1e-12);
      EXPECT_NEAR(std::remainder(t.value, step), 0.0, 1e-9) << t.text;
    }
  }
  const Axis wide = axis(0.0, 1.0, 800.0f);
  std::vector<Tick> ticks;
  choose_ticks(wide, true, false, fixed_metrics(), &ticks);
  // About one label per 90 pixels: 800 pixels take steps of 0.2.
  EXPECT_EQ(labels(ticks), (std::vector<std::string>{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}));
}

TEST(PlotAxes, IntegerAxesHaveNoFractionalTicks) {
  const Axis a = axis(0.0, 3.0, 800.0f);
  std::vector<Tick> ticks;
  choose_ticks(a, true, true, fixed_metrics(), &ticks);
  EXPECT_EQ(labels(ticks), (std::vector<std::string>{"0", "1", "2", "3"}));
  choose_ticks(a, true, false, fixed_metrics(), &ticks);  // the same range, not counting: finer
  EXPECT_GT(labels(ticks).size(), 4u);
}

TEST(PlotAxes, VerticalTicksLeaveALineBetweenLabels) {
  const Axis a = axis(0.0, 1000.0, 160.0f);
  std::vector<Tick> ticks;
  choose_ticks(a, false, false, fixed_metrics(), &ticks);
  EXPECT_GE(labels(ticks).size(), 3u);
  expect_no_overlap(ticks, a, false);
}

TEST(PlotAxes, LogAxesShowPowersOfTenThinnedWhenCrowded) {
  const Axis few = axis(1.0, 1e4, 600.0f, true);
  std::vector<Tick> ticks;
  choose_ticks(few, true, false, fixed_metrics(), &ticks);
  const std::vector<std::string> l = labels(ticks);
  for (const char* want : {"1", "10", "100", "1000", "10k"})
    EXPECT_NE(std::find(l.begin(), l.end(), want), l.end()) << want;
  // Sixty decades in 200 pixels: every decade would overlap, so some are skipped.
  const Axis many = axis(1e-30, 1e30, 200.0f, true);
  choose_ticks(many, true, false, fixed_metrics(), &ticks);
  EXPECT_LT(labels(ticks).size(), 60u);
  EXPECT_GE(labels(ticks).size(), 2u);
  expect_no_overlap(ticks, many, true);
}

}  // namespace
}  // namespace attnlab::axes
