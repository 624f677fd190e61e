// A small, fully specified random number generator (xoshiro256** seeded by
// splitmix64), so that a run is bit-identical from its seed on every build:
// the standard library's distributions differ between libstdc++ (native) and
// libc++ (Emscripten), ours do not.
#pragma once

#include <cmath>
#include <cstdint>

namespace attnlab {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0) { reseed(seed); }

  void reseed(uint64_t seed) {
    uint64_t x = seed;
    for (uint64_t& s : state_) s = splitmix64(&x);
  }

  // An independent generator for a named purpose ("train", "eval", "init"):
  // the same (seed, stream) always gives the same sequence.
  Rng fork(uint64_t stream) const {
    uint64_t x = state_[0] ^ (stream * 0x9E3779B97F4A7C15ull) ^ 0xD1B54A32D192ED03ull;
    Rng r(splitmix64(&x));
    return r;
  }

  uint64_t next_u64() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  // Uniform integer in [0, n), n >= 1, without modulo bias (Lemire's method).
  int below(int n) {
    const uint64_t range = static_cast<uint64_t>(n);
    uint64_t x = next_u64() >> 32;
    uint64_t m = x * range;
    uint32_t low = static_cast<uint32_t>(m);
    if (low < range) {
      const uint32_t threshold = static_cast<uint32_t>(-static_cast<uint32_t>(range) % static_cast<uint32_t>(range));
      while (low < threshold) {
        x = next_u64() >> 32;
        m = x * range;
        low = static_cast<uint32_t>(m);
      }
    }
    return static_cast<int>(m >> 32);
  }

  // Standard normal (Box-Muller; one value per call, so the state advances
  // the same way whatever the caller does with it).
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

  // For saving and restoring a run.
  const uint64_t* state() const { return state_; }
  void set_state(const uint64_t s[4]) {
    for (int i = 0; i < 4; ++i) state_[i] = s[i];
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t splitmix64(uint64_t* x) {
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t state_[4];
};

}  // namespace attnlab
