// RunIrm: runs the real `irm` client (IRM_PATH, from CMake) once and captures its output.
//
// Thread-safe: each call spawns its own process.
#ifndef IRM_TESTS_SUPPORT_RUN_IRM_H_
#define IRM_TESTS_SUPPORT_RUN_IRM_H_

#include <ostream>
#include <string>
#include <vector>

namespace irm::tests {

struct IrmResult {
  int exit_code = -1;  // shell style: 128 + signal if a signal ended it; -1 if it never ran
  std::string out;     // stdout
  std::string err;     // stderr
};

// Runs `irm --server SERVER ARGS...` with IRM_SERVER and IRM_TOKEN cleared from its
// environment, waiting up to 60 s (then it is killed and exit_code is 128 + SIGKILL).
IrmResult RunIrm(const std::string& server, const std::vector<std::string>& args);
// RunIrm with `env` ("NAME=value") added after the clearing, e.g. {"IRM_TOKEN=t"}.
IrmResult RunIrm(const std::string& server, const std::vector<std::string>& args,
                 const std::vector<std::string>& env);

// Splits stdout into lines, dropping the final empty one.
std::vector<std::string> Lines(const std::string& text);

// For gtest failure messages: exit code, stdout and stderr.
std::ostream& operator<<(std::ostream& os, const IrmResult& result);

}  // namespace irm::tests

#endif  // IRM_TESTS_SUPPORT_RUN_IRM_H_
