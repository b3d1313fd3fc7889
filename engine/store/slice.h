// Conversions between rocksdb::Slice and absl::string_view (Debian's Abseil has its own
// string_view type, distinct from std::string_view). Views never own their bytes.
#ifndef IRM_ENGINE_STORE_SLICE_H_
#define IRM_ENGINE_STORE_SLICE_H_

#include "absl/strings/string_view.h"
#include "rocksdb/slice.h"

namespace irm::store {

inline absl::string_view View(const rocksdb::Slice& s) { return {s.data(), s.size()}; }
inline rocksdb::Slice ToSlice(absl::string_view s) { return {s.data(), s.size()}; }

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_SLICE_H_
