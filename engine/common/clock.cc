#include "engine/common/clock.h"

namespace irm::common {
namespace {

class RealClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace

Clock* SystemClock() {
  static RealClock* const clock = new RealClock();  // never destroyed: safe at exit
  return clock;
}

}  // namespace irm::common
