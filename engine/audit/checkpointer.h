// Checkpointer: signs checkpoints of the log's tree, periodically and on request.
//
// A periodic thread signs the current tree every `interval` if it grew since the last
// stored checkpoint; SignNow() does the same at once. Each checkpoint is stored in the
// AuditStore under its size (one per size: signing a size already signed returns the stored
// one). Thread-safe; signing is serialized.
#ifndef IRM_ENGINE_AUDIT_CHECKPOINTER_H_
#define IRM_ENGINE_AUDIT_CHECKPOINTER_H_

#include <thread>

#include "absl/status/statusor.h"
#include "engine/common/mutex.h"
#include "absl/time/time.h"
#include "engine/audit/audit_store.h"
#include "engine/audit/checkpoint.h"
#include "engine/audit/ed25519.h"
#include "engine/common/clock.h"

namespace irm::audit {

class Checkpointer {
 public:
  // The pointers must outlive the checkpointer. Stores the key's public PEM in `store`.
  Checkpointer(AuditStore* store, const SigningKey* key, common::Clock* clock,
               absl::Duration interval);
  ~Checkpointer();

  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Signs and stores a checkpoint of the current tree unless the latest stored one already
  // has its size; returns the latest checkpoint either way.
  absl::StatusOr<Checkpoint> SignNow();

  // Starts the periodic thread (which signs once at once). Stop() joins it; idempotent.
  void Start();
  void Stop();

  const SigningKey& key() const { return *key_; }

 private:
  void Run();

  AuditStore* const store_;
  const SigningKey* const key_;
  common::Clock* const clock_;
  const absl::Duration interval_;

  common::Mutex sign_mu_;  // serializes SignNow
  common::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace irm::audit

#endif  // IRM_ENGINE_AUDIT_CHECKPOINTER_H_
