#include "api_json/outcomes_json.h"

namespace irm::api_json {
namespace {

using api::v1::OutcomesGroup;
using api::v1::OutcomesSnapshot;
using Json = nlohmann::ordered_json;

Json ByStatusJson(
    const google::protobuf::RepeatedPtrField<api::v1::RecommendationStatusCount>& counts) {
  Json json = Json::object();
  for (const api::v1::RecommendationStatusCount& c : counts) json[c.status()] = c.recommendations();
  return json;
}

Json Rate(bool has_rate, double rate) { return has_rate ? Json(rate) : Json(nullptr); }

Json OrNull(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

}  // namespace

const OutcomesGroup* FindGroup(const OutcomesSnapshot& snapshot, const std::string& key) {
  for (const OutcomesGroup& g : snapshot.groups()) {
    if (g.key() == key) return &g;
  }
  return nullptr;
}

std::vector<std::string> UnionKeys(const OutcomesSnapshot& now, const OutcomesSnapshot* then) {
  std::vector<std::string> keys;
  for (const OutcomesGroup& g : now.groups()) keys.push_back(g.key());
  if (then == nullptr) return keys;
  for (const OutcomesGroup& g : then->groups()) {
    if (FindGroup(now, g.key()) == nullptr) keys.push_back(g.key());
  }
  return keys;
}

OutcomesGroup TotalGroup(const OutcomesSnapshot& snapshot) {
  OutcomesGroup total;
  total.set_count(snapshot.total());
  total.set_states(snapshot.states());
  *total.mutable_by_status() = snapshot.by_status();
  total.set_has_rate(snapshot.has_rate());
  total.set_implementation_rate(snapshot.implementation_rate());
  return total;
}

Json OutcomesReportJson(const api::v1::OutcomesReport& report) {
  const OutcomesSnapshot& now = report.current();
  Json json = Json::object();
  json["cycle"] = report.cycle() == 0 ? Json(nullptr) : Json(report.cycle());
  json["kind"] = OrNull(report.kind());
  json["by"] = report.by();
  json["as_of"] = OrNull(now.as_of());
  json["total"] = now.total();
  json["states"] = now.states();
  json["reviews"] = now.reviews();
  json["summaries_issued"] = now.summaries_issued();
  json["by_status"] = ByStatusJson(now.by_status());
  json["implementation_rate"] = Rate(now.has_rate(), now.implementation_rate());
  json["groups"] = Json::array();
  for (const OutcomesGroup& g : now.groups()) {
    Json group = Json::object();
    group["key"] = g.key();
    group["label"] = g.label();
    group["count"] = g.count();
    group["states"] = g.states();
    group["by_status"] = ByStatusJson(g.by_status());
    group["implementation_rate"] = Rate(g.has_rate(), g.implementation_rate());
    json["groups"].push_back(std::move(group));
  }
  if (!report.compared()) return json;
  const OutcomesSnapshot& then = report.earlier();
  Json compare = Json::object();
  compare["as_of"] = then.as_of();
  compare["total"] = then.total();
  compare["states"] = then.states();
  compare["implementation_rate"] = Rate(then.has_rate(), then.implementation_rate());
  compare["delta_total"] = now.total() - then.total();
  compare["delta_states"] = now.states() - then.states();
  compare["groups"] = Json::array();
  for (const std::string& key : UnionKeys(now, &then)) {
    const OutcomesGroup* a = FindGroup(then, key);
    const OutcomesGroup* b = FindGroup(now, key);
    Json group = Json::object();
    group["key"] = key;
    group["count"] = a ? a->count() : 0;
    group["states"] = a ? a->states() : 0;
    group["delta_count"] = (b ? b->count() : 0) - (a ? a->count() : 0);
    group["delta_states"] = (b ? b->states() : 0) - (a ? a->states() : 0);
    compare["groups"].push_back(std::move(group));
  }
  json["compare"] = std::move(compare);
  return json;
}

}  // namespace irm::api_json
