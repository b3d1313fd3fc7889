#include "engine/audit/checkpointer.h"

#include <cstdio>

#include "engine/common/status_macros.h"

namespace irm::audit {

Checkpointer::Checkpointer(AuditStore* store, const SigningKey* key, common::Clock* clock,
                           absl::Duration interval)
    : store_(store), key_(key), clock_(clock), interval_(interval) {}

Checkpointer::~Checkpointer() { Stop(); }

absl::StatusOr<Checkpoint> Checkpointer::SignNow() {
  common::MutexLock lock(&sign_mu_);
  const uint64_t size = store_->TreeSize();
  IRM_ASSIGN_OR_RETURN(std::optional<Checkpoint> latest, store_->LatestCheckpoint());
  if (latest.has_value() && latest->size >= size) return *latest;
  IRM_RETURN_IF_ERROR(store_->PutPublicKey(key_->public_key().key_id(), key_->public_key().pem()));
  Checkpoint checkpoint;
  checkpoint.size = size;
  IRM_ASSIGN_OR_RETURN(checkpoint.root, RootAt(*store_, size));
  checkpoint.time = TruncateToMicros(clock_->Now());
  IRM_RETURN_IF_ERROR(key_->SignCheckpoint(&checkpoint));
  IRM_RETURN_IF_ERROR(store_->PutCheckpoint(checkpoint));
  return checkpoint;
}

void Checkpointer::Start() {
  common::MutexLock lock(&mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Run(); });
}

void Checkpointer::Stop() {
  {
    common::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void Checkpointer::Run() {
  for (;;) {
    absl::StatusOr<Checkpoint> signed_checkpoint = SignNow();
    if (!signed_checkpoint.ok()) {
      std::fprintf(stderr, "irmd: signing a checkpoint failed: %s\n",
                   signed_checkpoint.status().ToString().c_str());
    }
    common::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_);
    if (stopping_) return;
  }
}

}  // namespace irm::audit
