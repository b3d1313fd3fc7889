#include "engine/store/disk_space.h"

#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/common/error_details.h"

namespace irm::store {
namespace {

std::string Mib(uint64_t bytes) { return absl::StrFormat("%.1f MiB", bytes / 1048576.0); }

}  // namespace

absl::Status CheckFreeSpace(const std::string& dir, uint64_t reserve_bytes,
                            uint64_t incoming_bytes) {
  if (reserve_bytes == 0) return absl::OkStatus();
  struct statvfs fs;
  if (statvfs(dir.c_str(), &fs) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot read the free space of the disk holding ",
                                               dir, ": ", std::strerror(errno)));
  }
  const uint64_t available = static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
  if (available >= reserve_bytes + incoming_bytes) return absl::OkStatus();
  return common::WithReason(
      absl::ResourceExhaustedError(absl::StrCat(
          "the disk holding the log (", dir, ") has ", Mib(available),
          " free, less than this append (", Mib(incoming_bytes), ") plus the reserve of ",
          Mib(reserve_bytes), " (irmd --min-free-bytes); nothing was written; free disk space "
          "and retry")),
      "DISK_FULL",
      {{"free_bytes", absl::StrCat(available)},
       {"needed_bytes", absl::StrCat(reserve_bytes + incoming_bytes)}});
}

}  // namespace irm::store
