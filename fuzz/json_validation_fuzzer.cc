// Fuzz target: ValidateJson (engine/log/json_validation.h) must accept exactly what a strict
// RFC 8259 parser accepts (nlohmann-json's, minus the duplicate keys, byte order mark and
// deep nesting the log refuses; json_validation_reference.h). For an accepted object,
// JsonObjectMembers must give each value as a text ValidateJson accepts, with distinct keys.
#include <cstdint>
#include <set>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "engine/log/json_validation.h"
#include "engine/log/json_validation_reference.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const absl::Status status = irm::log::ValidateJson(input);
  FUZZ_CHECK(status.ok() == irm::log::reference::StrictAccept(input),
             "verdicts differ for " + absl::CEscape(input) + ": " + status.ToString());
  if (!status.ok()) {
    FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument, status.ToString());
    return 0;
  }
  absl::StatusOr<std::vector<irm::log::JsonMember>> members =
      irm::log::JsonObjectMembers(input);
  if (!members.ok()) return 0;  // not an object
  std::set<std::string> keys;
  for (const irm::log::JsonMember& member : *members) {
    FUZZ_CHECK(keys.insert(member.key).second, "key twice in " + absl::CEscape(input));
    FUZZ_CHECK(irm::log::ValidateJson(member.value).ok(),
               "member value not JSON: " + absl::CEscape(member.value));
  }
  return 0;
}
