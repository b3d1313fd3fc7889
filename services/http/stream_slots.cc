#include "services/http/stream_slots.h"

#include "absl/strings/str_cat.h"

namespace irm::services::http {

StreamSlots::Slot::~Slot() {
  absl::MutexLock lock(&state_->mu);
  --state_->open;
  auto it = state_->per_client.find(client_);
  if (it != state_->per_client.end() && --it->second == 0) state_->per_client.erase(it);
}

absl::StatusOr<std::unique_ptr<StreamSlots::Slot>> StreamSlots::Acquire(
    const std::string& client) {
  absl::MutexLock lock(&state_->mu);
  if (state_->open >= state_->max_total) {
    return absl::UnavailableError(absl::StrCat(
        "irmd serves at most ", state_->max_total,
        " event streams at once (--http-max-streams) and all are in use; retry later"));
  }
  size_t& mine = state_->per_client[client];
  if (mine >= state_->max_per_client) {
    if (mine == 0) state_->per_client.erase(client);
    return absl::UnavailableError(absl::StrCat(
        "client ", client, " already has ", mine, " event streams open, the most one address may ",
        "hold (--http-max-streams-per-client); close one or retry later"));
  }
  ++mine;
  ++state_->open;
  return std::unique_ptr<Slot>(new Slot(state_, client));
}

size_t StreamSlots::open() const {
  absl::MutexLock lock(&state_->mu);
  return state_->open;
}

}  // namespace irm::services::http
