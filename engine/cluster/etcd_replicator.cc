#include "engine/cluster/etcd_replicator.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "engine/common/status_macros.h"

namespace irm::cluster {
namespace {

// The position a log key names, or 0 if it is not one.
uint64_t PositionOfKey(absl::string_view key, absl::string_view log_prefix) {
  if (!absl::ConsumePrefix(&key, log_prefix)) return 0;
  uint64_t position = 0;
  return absl::SimpleAtoi(key, &position) ? position : 0;
}

}  // namespace

EtcdReplicator::EtcdReplicator(EtcdClient* client, EtcdReplicatorOptions options)
    : client_(client), options_(std::move(options)), head_key_(options_.prefix + "head") {}

EtcdReplicator::~EtcdReplicator() { Stop(); }

void EtcdReplicator::SetConnected(bool connected) {
  if (connected_.exchange(connected, std::memory_order_relaxed) == connected) return;
  common::MutexLock lock(&listener_mu_);
  if (connectivity_listener_) connectivity_listener_(connected_.load(std::memory_order_relaxed));
}

std::string EtcdReplicator::LogKey(uint64_t position) const {
  return absl::StrFormat("%slog/%020u", options_.prefix, position);
}

absl::StatusOr<bool> EtcdReplicator::Commit(uint64_t head,
                                            const std::vector<std::string>& records) {
  if (records.empty()) return true;
  etcdserverpb::TxnRequest txn;
  etcdserverpb::Compare* compare = txn.add_compare();
  compare->set_key(head_key_);
  if (head == 0) {
    compare->set_target(etcdserverpb::Compare::VERSION);
    compare->set_version(0);
  } else {
    compare->set_target(etcdserverpb::Compare::VALUE);
    compare->set_value(absl::StrCat(head));
  }
  for (size_t i = 0; i < records.size(); ++i) {
    etcdserverpb::PutRequest* put = txn.add_success()->mutable_request_put();
    put->set_key(LogKey(head + 1 + i));
    put->set_value(records[i]);
  }
  etcdserverpb::PutRequest* put_head = txn.add_success()->mutable_request_put();
  put_head->set_key(head_key_);
  put_head->set_value(absl::StrCat(head + records.size()));
  txn.add_failure()->mutable_request_range()->set_key(LogKey(head + 1));

  absl::StatusOr<etcdserverpb::TxnResponse> response =
      client_->Txn(txn, EtcdClient::Resend::kGuarded);
  if (!response.ok()) {
    SetConnected(false);
    return response.status();
  }
  SetConnected(true);
  if (response->succeeded()) return true;
  // The head moved. If it moved by this very transaction (a resend after a lost answer), the
  // record at H+1 is ours, byte for byte (it holds this group's recorded time and ids).
  if (response->responses_size() == 1 && response->responses(0).has_response_range()) {
    const etcdserverpb::RangeResponse& range = response->responses(0).response_range();
    if (range.kvs_size() == 1 && range.kvs(0).value() == records.front()) return true;
  }
  return false;
}

absl::StatusOr<std::vector<std::string>> EtcdReplicator::ReadAfter(uint64_t head,
                                                                   uint64_t max_bytes) {
  etcdserverpb::RangeRequest range;
  range.set_key(LogKey(head + 1));
  range.set_range_end(LogKey(head + 1 + options_.page_events));
  absl::StatusOr<etcdserverpb::RangeResponse> response = client_->Range(range);
  if (!response.ok()) {
    SetConnected(false);
    return response.status();
  }
  SetConnected(true);
  std::vector<std::string> records;
  uint64_t bytes = 0;
  const std::string log_prefix = options_.prefix + "log/";
  for (const mvccpb::KeyValue& kv : response->kvs()) {
    const uint64_t expected = head + 1 + records.size();
    if (PositionOfKey(kv.key(), log_prefix) != expected) {
      return absl::DataLossError(absl::StrCat("the cluster's log in etcd has no event at position ",
                                              expected, " but has one at key ", kv.key()));
    }
    if (!records.empty() && bytes + kv.value().size() > max_bytes) break;
    bytes += kv.value().size();
    records.push_back(kv.value());
  }
  return records;
}

absl::Status EtcdReplicator::CheckCopy(const log::EventLog& log) {
  const uint64_t head = log.HeadPosition();
  if (head == 0) return absl::OkStatus();
  log::ReadAllOptions read;
  read.from_position = head;
  read.max_count = 1;
  IRM_ASSIGN_OR_RETURN(std::vector<std::string> local, log.ReadAllEncoded(read));
  etcdserverpb::RangeRequest range;
  range.set_key(LogKey(head));
  IRM_ASSIGN_OR_RETURN(etcdserverpb::RangeResponse response, client_->Range(range));
  if (response.kvs_size() == 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this node's --data holds ", head, " events, but the cluster's log in etcd has no event "
        "at position ", head, ": the folder belongs to another log (or etcd's was wiped); start "
        "the node on an empty --data to copy the cluster's log"));
  }
  if (local.size() != 1 || response.kvs(0).value() != local.front()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this node's --data differs from the cluster's log at position ", head,
        ": the folder belongs to another log; start the node on an empty --data to copy the "
        "cluster's log"));
  }
  return absl::OkStatus();
}

void EtcdReplicator::Start(store::RocksDbEventLog* log) {
  log_ = log;
  thread_ = std::thread([this] { Tail(); });
}

void EtcdReplicator::Stop() {
  {
    common::MutexLock lock(&mu_);
    stopping_ = true;
    if (watch_ != nullptr) watch_->Cancel();
  }
  if (thread_.joinable()) thread_.join();
}

void EtcdReplicator::Pause(absl::Duration delay) {
  common::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stopping_), delay);
}

void EtcdReplicator::Tail() {
  for (;;) {
    {
      common::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    if (absl::Status s = TailOnce(); !s.ok()) {
      SetConnected(false);
      Pause(absl::Milliseconds(200));
    }
  }
}

absl::Status EtcdReplicator::TailOnce() {
  // Read everything after the local head at one revision...
  int64_t revision = 0;
  uint64_t position = log_->HeadPosition();
  for (;;) {
    etcdserverpb::RangeRequest range;
    range.set_key(LogKey(position + 1));
    range.set_range_end(LogKey(position + 1 + options_.page_events));
    range.set_revision(revision);
    IRM_ASSIGN_OR_RETURN(etcdserverpb::RangeResponse page, client_->Range(range));
    SetConnected(true);
    if (revision == 0) revision = page.header().revision();
    if (page.kvs_size() == 0) break;
    std::vector<std::string> records;
    records.reserve(page.kvs_size());
    for (mvccpb::KeyValue& kv : *page.mutable_kvs()) records.push_back(std::move(*kv.mutable_value()));
    position += records.size();
    seen_head_.store(position, std::memory_order_relaxed);
    log_->ApplyReplicated(std::move(records));
    common::MutexLock lock(&mu_);
    if (stopping_) return absl::OkStatus();
  }
  // ...then watch from the next revision: only what is committed from now on.
  etcdserverpb::WatchCreateRequest create;
  create.set_key(options_.prefix + "log/");
  create.set_range_end(options_.prefix + "log0");
  create.set_start_revision(revision + 1);
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<EtcdWatch> opened, client_->Watch(create));
  std::shared_ptr<EtcdWatch> watch = std::move(opened);
  {
    common::MutexLock lock(&mu_);
    if (stopping_) return absl::OkStatus();
    watch_ = watch;
  }
  absl::Status ended;
  const std::string log_prefix = options_.prefix + "log/";
  for (;;) {
    absl::StatusOr<etcdserverpb::WatchResponse> response = watch->Next();
    if (!response.ok()) {
      ended = response.status();
      break;
    }
    if (response->canceled()) {
      ended = absl::UnavailableError(absl::StrCat("the watch was cancelled: ",
                                                  response->cancel_reason(), " (compacted at ",
                                                  response->compact_revision(), ")"));
      break;
    }
    std::vector<std::string> records;
    for (mvccpb::Event& event : *response->mutable_events()) {
      if (event.type() != mvccpb::Event::PUT) continue;
      const uint64_t at = PositionOfKey(event.kv().key(), log_prefix);
      if (at > seen_head_.load(std::memory_order_relaxed)) {
        seen_head_.store(at, std::memory_order_relaxed);
      }
      records.push_back(std::move(*event.mutable_kv()->mutable_value()));
    }
    if (!records.empty()) log_->ApplyReplicated(std::move(records));
  }
  common::MutexLock lock(&mu_);
  watch_.reset();
  return ended;
}

}  // namespace irm::cluster
