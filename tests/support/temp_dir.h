// TempDir: a uniquely named folder that is removed, with its contents, on destruction.
//
// The folder is made under $TEST_TMPDIR if set, else $TMPDIR, else /tmp. Not thread-safe;
// one owner.
#ifndef IRM_TESTS_SUPPORT_TEMP_DIR_H_
#define IRM_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

#include "absl/strings/string_view.h"

namespace irm::tests {

class TempDir {
 public:
  // Makes the folder; aborts the test binary if it cannot (nothing sensible can follow).
  explicit TempDir(absl::string_view prefix = "irm-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name; nothing is created.
  std::string Sub(absl::string_view name) const;

 private:
  std::string path_;
};

}  // namespace irm::tests

#endif  // IRM_TESTS_SUPPORT_TEMP_DIR_H_
