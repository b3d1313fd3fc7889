// The stream of the Implementation Review Group's sessions (issue 21 section 3): the one place
// that spells its name. A session belongs to no review, so its record lives in a stream of its
// own, "irg-sessions", rather than in any review- stream; it is written only by
// `irm irg session add` (or an import) and is public (engine/access/visibility.h).
// Pure; thread-safe.
#ifndef IRM_ENGINE_DOMAIN_IRG_SESSIONS_H_
#define IRM_ENGINE_DOMAIN_IRG_SESSIONS_H_

#include "absl/strings/string_view.h"

namespace irm::domain {

inline constexpr absl::string_view kIrgSessionsStream = "irg-sessions";
inline constexpr absl::string_view kIrgSessionRecordedType = "IrgSessionRecorded";

inline bool IsIrgSessionsStream(absl::string_view stream) { return stream == kIrgSessionsStream; }

}  // namespace irm::domain

#endif  // IRM_ENGINE_DOMAIN_IRG_SESSIONS_H_
