// Portable, deterministic random numbers for the drawing of lots.
//
// A draw must be reproducible by an auditor on any machine from the seed recorded in the
// event. Every value here is therefore defined by uint64_t arithmetic alone: the same seed
// yields the same sequence with any compiler, standard library and platform. The engine
// deliberately uses neither std::uniform_int_distribution nor std::shuffle: the C++
// standard fixes the output of its engines but not how those algorithms consume it, and
// libstdc++, libc++ and MSVC's library differ.
//
// The algorithms, exactly:
//   SplitMix64         Steele, Lea & Flood (2014), as in Vigna's reference splitmix64.c.
//   Xoshiro256ss       xoshiro256** 1.0 (Blackman & Vigna 2018); its four state words are
//                      the first four outputs of SplitMix64(seed).
//   UniformIndex(n)    uniform on [0, n) by rejection: draw x = Next() until
//                      x >= (2^64 - n) mod n, then return x mod n (unbiased).
//   Shuffle            Fisher-Yates: for i = n-1 down to 1, swap(v[i], v[UniformIndex(i+1)]).
//   HashCode(text)     64-bit FNV-1a over the bytes of `text`.
//   MixSeed(h, v)      SplitMix64Finalize(h ^ SplitMix64Finalize(v + 0x9E3779B97F4A7C15)).
//
// Thread-safety: the free functions are pure. A generator is a plain value with no shared
// state; one instance must not be used by two threads at once.
#ifndef IRM_ENGINE_REVIEW_LOT_RNG_H_
#define IRM_ENGINE_REVIEW_LOT_RNG_H_

#include <cstddef>
#include <cstdint>
#include <utility>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace irm::review {

// The SplitMix64 output function: a bijective mix of all 64 bits.
inline uint64_t SplitMix64Finalize(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// SplitMix64: a 64-bit generator used to expand one seed into a xoshiro state.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return SplitMix64Finalize(state_);
  }

 private:
  uint64_t state_;
};

// xoshiro256**, seeded through SplitMix64 (never all-zero state).
class Xoshiro256ss {
 public:
  explicit Xoshiro256ss(uint64_t seed) {
    SplitMix64 seeder(seed);
    for (uint64_t& word : s_) word = seeder.Next();
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // A uniformly distributed index in [0, n). Requires n > 0 (returns 0 for n == 0).
  uint64_t UniformIndex(uint64_t n) {
    if (n <= 1) return 0;
    const uint64_t threshold = (0 - n) % n;  // (2^64 - n) mod n == 2^64 mod n
    for (;;) {
      const uint64_t x = Next();
      if (x >= threshold) return x % n;
    }
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// Fisher-Yates shuffle of `items` in place, consuming `rng` as documented above.
template <typename T>
void Shuffle(absl::Span<T> items, Xoshiro256ss& rng) {
  for (size_t i = items.size(); i > 1; --i) {
    const size_t j = static_cast<size_t>(rng.UniformIndex(i));
    using std::swap;
    swap(items[i - 1], items[j]);
  }
}

// 64-bit FNV-1a of the bytes of `text`.
inline uint64_t HashCode(absl::string_view text) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001B3ULL;
  }
  return h;
}

// Derives a new seed from `seed` and one more input; order of mixing matters.
inline uint64_t MixSeed(uint64_t seed, uint64_t value) {
  return SplitMix64Finalize(seed ^ SplitMix64Finalize(value + 0x9E3779B97F4A7C15ULL));
}

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_LOT_RNG_H_
