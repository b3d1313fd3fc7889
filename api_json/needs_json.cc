#include "api_json/needs_json.h"

namespace irm::api_json {
namespace {

using api::v1::NeedsGroup;
using api::v1::NeedsReport;
using api::v1::NeedsTable;
using Json = nlohmann::ordered_json;

Json StatusesJson(const google::protobuf::RepeatedPtrField<api::v1::StatusCount>& statuses) {
  Json json = Json::object();
  for (const api::v1::StatusCount& s : statuses) json[s.status()] = s.needs();
  return json;
}

Json OrNull(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

}  // namespace

const NeedsGroup* FindGroup(const NeedsTable& table, const std::string& key) {
  for (const NeedsGroup& g : table.groups()) {
    if (g.key() == key) return &g;
  }
  return nullptr;
}

std::vector<std::string> UnionKeys(const NeedsTable& now, const NeedsTable* then) {
  std::vector<std::string> keys;
  for (const NeedsGroup& g : now.groups()) keys.push_back(g.key());
  if (then == nullptr) return keys;
  for (const NeedsGroup& g : then->groups()) {
    if (FindGroup(now, g.key()) == nullptr) keys.push_back(g.key());
  }
  return keys;
}

const NeedsTable* Earlier(const NeedsReport& report, int index) {
  if (!report.compared() || index >= report.earlier().tables_size()) return nullptr;
  return &report.earlier().tables(index);
}

Json NeedsReportJson(const NeedsReport& report, int index) {
  const NeedsTable& table = report.current().tables(index);
  Json json = Json::object();
  json["cycle"] = report.cycle() == 0 ? Json(nullptr) : Json(report.cycle());
  json["by"] = table.dimension().by();
  json["chapter"] = OrNull(table.dimension().chapter());
  json["as_of"] = OrNull(report.current().as_of());
  json["total_needs"] = table.totals().needs();
  json["states_with_needs"] = table.totals().states_with_needs();
  json["summaries_issued"] = report.current().totals().summaries_issued();
  json["statuses"] = StatusesJson(table.totals().statuses());
  json["groups"] = Json::array();
  for (const NeedsGroup& g : table.groups()) {
    Json group = Json::object();
    group["key"] = g.key();
    group["label"] = g.label();
    group["needs"] = g.needs();
    group["states"] = g.states();
    group["statuses"] = StatusesJson(g.statuses());
    json["groups"].push_back(std::move(group));
  }
  const NeedsTable* then = Earlier(report, index);
  if (then == nullptr) return json;
  Json compare = Json::object();
  compare["as_of"] = report.earlier().as_of();
  compare["total_needs"] = then->totals().needs();
  compare["states_with_needs"] = then->totals().states_with_needs();
  compare["summaries_issued"] = report.earlier().totals().summaries_issued();
  compare["delta_needs"] = table.totals().needs() - then->totals().needs();
  compare["delta_states"] = table.totals().states_with_needs() - then->totals().states_with_needs();
  compare["groups"] = Json::array();
  for (const std::string& key : UnionKeys(table, then)) {
    const NeedsGroup* a = FindGroup(*then, key);
    const NeedsGroup* b = FindGroup(table, key);
    Json group = Json::object();
    group["key"] = key;
    group["needs"] = a ? a->needs() : 0;
    group["states"] = a ? a->states() : 0;
    group["delta_needs"] = (b ? b->needs() : 0) - (a ? a->needs() : 0);
    group["delta_states"] = (b ? b->states() : 0) - (a ? a->states() : 0);
    compare["groups"].push_back(std::move(group));
  }
  json["compare"] = std::move(compare);
  return json;
}

}  // namespace irm::api_json
