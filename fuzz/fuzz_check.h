// FUZZ_CHECK: a property a fuzz target asserts about the code under test. On failure it
// prints the condition and aborts, which libFuzzer (and the replay driver's ctest run)
// reports as a crash with the input that caused it.
#ifndef IRM_FUZZ_FUZZ_CHECK_H_
#define IRM_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition, detail)                                               \
  do {                                                                              \
    if (!(condition)) {                                                             \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: %s\n", __FILE__, __LINE__, \
                   #condition, std::string(detail).c_str());                        \
      std::abort();                                                                 \
    }                                                                               \
  } while (false)

#endif  // IRM_FUZZ_FUZZ_CHECK_H_
