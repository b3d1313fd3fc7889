#include "engine/review/review_provenance.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"

namespace irm::review {
namespace {

using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using event::v1::NeedState;
using event::v1::ReviewState;

constexpr absl::string_view kNeedPrefix = "need:";

// One element (or the value) of a field, as text.
std::string ElementText(const Message& m, const FieldDescriptor* f, int index) {
  const auto* r = m.GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "true" : "false";
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
    case FieldDescriptor::CPPTYPE_ENUM:
      return rep ? r->GetRepeatedEnum(m, f, index)->name() : r->GetEnum(m, f)->name();
    case FieldDescriptor::CPPTYPE_MESSAGE:
      // Deterministic text (valid UTF-8, unlike the wire bytes, as the value travels in a
      // proto string): equal messages compare equal.
      return (rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f)).ShortDebugString();
    default:
      return absl::StrCat(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
  }
}

// A whole field, comparable: repeated elements joined with a separator no value contains.
std::string FieldKey(const Message& m, const FieldDescriptor* f) {
  if (!f->is_repeated()) return ElementText(m, f, 0);
  const int n = m.GetReflection()->FieldSize(m, f);
  std::string out = absl::StrCat(n, "\x1f");
  for (int i = 0; i < n; ++i) absl::StrAppend(&out, ElementText(m, f, i), "\x1e");
  return out;
}

const NeedState* FindNeed(const ReviewState& state, absl::string_view id) {
  for (const NeedState& need : state.needs()) {
    if (need.need_id() == id) return &need;
  }
  return nullptr;
}

}  // namespace

void ProvenanceTracker::Note(const ReviewState& before, const ReviewState& after,
                             uint64_t position) {
  const auto* descriptor = ReviewState::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* f = descriptor->field(i);
    if (FieldKey(before, f) != FieldKey(after, f)) set_by_[f->name()] = position;
  }
  for (const NeedState& need : after.needs()) {
    const NeedState* old = FindNeed(before, need.need_id());
    if (old == nullptr || old->SerializeAsString() != need.SerializeAsString()) {
      set_by_[absl::StrCat(kNeedPrefix, need.need_id())] = position;
    }
  }
}

std::vector<std::string> ProvenanceFields(const ReviewState& state) {
  std::vector<std::string> out;
  const auto* descriptor = ReviewState::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) out.push_back(descriptor->field(i)->name());
  for (const NeedState& need : state.needs()) {
    out.push_back(absl::StrCat(kNeedPrefix, need.need_id()));
  }
  return out;
}

std::string FieldValueText(const ReviewState& state, absl::string_view field) {
  if (absl::StartsWith(field, kNeedPrefix)) {
    const NeedState* need = FindNeed(state, field.substr(kNeedPrefix.size()));
    if (need == nullptr) return "";
    return absl::StrCat(need->status().empty() ? "identified" : need->status(), " (article ",
                        need->article(), ")");
  }
  const FieldDescriptor* f = ReviewState::descriptor()->FindFieldByName(std::string(field));
  if (f == nullptr) return "";
  if (f->name() == "needs") return absl::StrCat(state.needs_size());
  if (!f->is_repeated()) return ElementText(state, f, 0);
  std::vector<std::string> parts;
  for (int i = 0; i < state.GetReflection()->FieldSize(state, f); ++i) {
    parts.push_back(ElementText(state, f, i));
  }
  return absl::StrJoin(parts, ",");
}

}  // namespace irm::review
