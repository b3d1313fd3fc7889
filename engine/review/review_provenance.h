// Provenance of a folded review: which event last changed each field of its ReviewState.
//
// The tracker compares the state before and after each event by reflection, so every field
// the fold has (today's and those added later) is covered without the fold's rules knowing.
// Keys are ReviewState field names ("stage", "reviewers") and "need:<need_id>" for each
// need. An event that sets a field to the value it already had does not take it over: the
// answer to "why is stage summary_approved" is the event that made it so.
//
// Value type; thread-compatible.
#ifndef IRM_ENGINE_REVIEW_REVIEW_PROVENANCE_H_
#define IRM_ENGINE_REVIEW_REVIEW_PROVENANCE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "irm/event/v1/review_state.pb.h"

namespace irm::review {

class ProvenanceTracker {
 public:
  // Records `position` for every field that differs between `before` and `after`, the
  // state folded just before and just after the event at `position`.
  void Note(const event::v1::ReviewState& before, const event::v1::ReviewState& after,
            uint64_t position);

  // Field -> position of the event that last changed it. Fields no event changed are absent.
  const std::map<std::string, uint64_t>& set_by() const { return set_by_; }

 private:
  std::map<std::string, uint64_t> set_by_;
};

// The names ProvenanceTracker may report for `state`, in ReviewState field order, then
// "need:<id>" for each need.
std::vector<std::string> ProvenanceFields(const event::v1::ReviewState& state);

// A field's value as text: scalars as written, repeated strings joined with ",", needs as
// their count; a need key as "<status or identified> (article N)". "" for an unknown name.
std::string FieldValueText(const event::v1::ReviewState& state, absl::string_view field);

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_REVIEW_PROVENANCE_H_
