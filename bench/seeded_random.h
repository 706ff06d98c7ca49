// A seeded pseudo-random sequence whose every draw is defined here, bit for bit, so that a seed
// gives the same partner state on every compiler, standard library and platform. The standard
// <random> engines are portable but its distributions (uniform_int_distribution and the rest)
// are implementation-defined, so none is used: ranges are mapped with integer arithmetic only.
#pragma once

#include <cstddef>
#include <cstdint>

namespace partnerpolicy::bench {

class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}

  // The next 64 random bits: SplitMix64 (Steele, Lea and Flood, 2014), which passes BigCrush
  // and gives every seed, 0 included, a full-period sequence.
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

  // A number in [0, n). REQUIRES: n > 0. Reduced modulo n: the bias, at most n / 2^64, is far
  // below anything a generated state shows, and the result is the same everywhere.
  uint64_t Below(uint64_t n) { return Next() % n; }

  // A number in [lo, hi]. REQUIRES: lo <= hi, and hi - lo < 2^63.
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }

  // True with probability percent / 100.
  bool Percent(uint32_t percent) { return Below(100) < percent; }

  // True with the probability that ShareThreshold turned into `threshold`.
  bool Chance(uint64_t threshold) { return (Next() >> 11) < threshold; }

  // One element of a non-empty array.
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }

 private:
  uint64_t state_;
};

// A probability in [0, 1] as a threshold on 53 random bits (see SeededRandom::Chance). The one
// floating-point operation happens here, once, so that no draw depends on how a platform rounds.
inline uint64_t ShareThreshold(double share) {
  if (!(share > 0)) return 0;  // also NaN
  if (share >= 1) return uint64_t{1} << 53;
  return static_cast<uint64_t>(share * 9007199254740992.0);  // 2^53
}

}  // namespace partnerpolicy::bench
