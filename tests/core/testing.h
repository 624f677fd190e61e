// Helpers shared by the core's tests: seeded random data, comparison of
// arrays with a per-kernel tolerance, and central-difference gradient checks.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace attnlab::testing {

template <class T = float>
std::vector<T> random_vector(size_t n, unsigned seed, double scale = 1.0) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, scale);
  std::vector<T> v(n);
  for (T& x : v) x = static_cast<T>(normal(rng));
  return v;
}

template <class To, class From>
std::vector<To> cast(const std::vector<From>& v) {
  return std::vector<To>(v.begin(), v.end());
}

// |a - b| <= atol + rtol * max(|a|, |b|) for every entry; on failure reports
// the worst entry (its index and both values).
template <class A, class B>
::testing::AssertionResult all_close(const A& a, const B& b, double rtol, double atol) {
  if (a.size() != b.size())
    return ::testing::AssertionFailure() << "sizes differ: " << a.size() << " vs " << b.size();
  size_t worst = 0;
  double worst_excess = -1.0;
  for (size_t i = 0; i < a.size(); ++i) {
    const double x = static_cast<double>(a[i]), y = static_cast<double>(b[i]);
    if (std::isnan(x) != std::isnan(y))
      return ::testing::AssertionFailure() << "NaN mismatch at " << i << ": " << x << " vs " << y;
    const double excess = std::fabs(x - y) - (atol + rtol * std::max(std::fabs(x), std::fabs(y)));
    if (excess > worst_excess) {
      worst_excess = excess;
      worst = i;
    }
  }
  if (worst_excess > 0.0)
    return ::testing::AssertionFailure()
           << "entry " << worst << " of " << a.size() << ": " << static_cast<double>(a[worst]) << " vs "
           << static_cast<double>(b[worst]) << " (rtol " << rtol << ", atol " << atol << ")";
  return ::testing::AssertionSuccess();
}

// Central differences of a scalar function of x, for every entry of x:
//   (f(x + h e_i) - f(x - h e_i)) / 2h
template <class T>
std::vector<double> numeric_gradient(std::vector<T>* x, const std::function<double()>& f, double h) {
  std::vector<double> g(x->size());
  for (size_t i = 0; i < x->size(); ++i) {
    const T keep = (*x)[i];
    (*x)[i] = static_cast<T>(keep + h);
    const double plus = f();
    (*x)[i] = static_cast<T>(keep - h);
    const double minus = f();
    (*x)[i] = keep;
    g[i] = (plus - minus) / (2.0 * h);
  }
  return g;
}

// sum_i a[i] * w[i]: turns a vector output into the scalar loss whose
// gradient with respect to the output is w.
template <class T, class U>
double dot(const std::vector<T>& a, const std::vector<U>& w) {
  double s = 0.0;
  for (size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * static_cast<double>(w[i]);
  return s;
}

}  // namespace attnlab::testing
