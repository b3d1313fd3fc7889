#include "tests/bench/raw_baseline.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "engine/store/family_options.h"
#include "engine/store/prewritten_wal_file_system.h"
#include "rocksdb/convenience.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace irm::bench {
namespace {

// The DB options irmd's LogDatabase uses, so both pay the same WAL and fsync costs.
rocksdb::Options LogLikeOptions() {
  rocksdb::Options options(store::LogDatabaseOptions(), rocksdb::ColumnFamilyOptions());
  options.create_if_missing = true;
  options.paranoid_checks = true;
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  options.max_background_jobs = 2;
  options.keep_log_file_num = 4;
  return options;
}

std::string BigEndianKey(uint64_t thread, uint64_t seq) {
  std::string key(16, '\0');
  for (int i = 0; i < 8; ++i) {
    key[i] = static_cast<char>(thread >> (56 - 8 * i));
    key[8 + i] = static_cast<char>(seq >> (56 - 8 * i));
  }
  return key;
}

// Random 16 bytes, like an event id.
std::string RandomId(uint64_t* state) {
  std::string id(16, '\0');
  for (int i = 0; i < 16; i += 8) {
    *state ^= *state << 13, *state ^= *state >> 7, *state ^= *state << 17;
    for (int b = 0; b < 8; ++b) id[i + b] = static_cast<char>(*state >> (8 * b));
  }
  return id;
}

// The log's families with their options (engine/store/family_options.h).
std::vector<rocksdb::ColumnFamilyDescriptor> LogFamilies() {
  return {{rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
          {"events", rocksdb::ColumnFamilyOptions()},
          {"streams", store::StreamsFamilyOptions()},
          {"ids", store::IdsFamilyOptions()}};
}

// Applies `text` (RocksDB's option-string form) over `db` and every family: each name must be
// a DB or a column-family option.
absl::Status ApplyOptionString(const std::string& text, rocksdb::Options* db,
                               std::vector<rocksdb::ColumnFamilyDescriptor>* families) {
  if (text.empty()) return absl::OkStatus();
  rocksdb::ConfigOptions strict;
  rocksdb::Options checked;
  rocksdb::Status s = rocksdb::GetOptionsFromString(strict, *db, text, &checked);
  if (!s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--raw-rocksdb-options ", text, ": ", s.ToString(),
        "; give DB or column-family options as name=value;name=value"));
  }
  rocksdb::ConfigOptions lenient;
  lenient.ignore_unknown_options = true;
  rocksdb::DBOptions db_options;
  s = rocksdb::GetDBOptionsFromString(lenient, rocksdb::DBOptions(*db), text, &db_options);
  for (auto& family : *families) {
    if (!s.ok()) break;
    rocksdb::ColumnFamilyOptions updated;
    s = rocksdb::GetColumnFamilyOptionsFromString(lenient, family.options, text, &updated);
    family.options = updated;
  }
  if (!s.ok()) return absl::InvalidArgumentError(s.ToString());
  *db = rocksdb::Options(db_options, rocksdb::ColumnFamilyOptions(*db));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<BaselineFigures> RunRawBaseline(const RawBaselineOptions& options) {
  const std::string dir = absl::StrFormat("%s/irm-bench-raw-%d-%d", options.parent_dir,
                                          getpid(), absl::ToUnixMicros(absl::Now()));
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  // irmd's WAL files are pre-written (engine/store/prewritten_wal_file_system.h); so are these.
  const std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(
      std::make_shared<store::PrewrittenWalFileSystem>());
  rocksdb::DB* raw = nullptr;
  rocksdb::Options db_options = LogLikeOptions();
  db_options.env = env.get();
  db_options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> families = LogFamilies();
  if (absl::Status bad = ApplyOptionString(options.rocksdb_options, &db_options, &families);
      !bad.ok()) {
    return bad;
  }
  std::vector<rocksdb::ColumnFamilyHandle*> cf;
  rocksdb::Status s = rocksdb::DB::Open(db_options, dir, families, &cf, &raw);
  if (!s.ok()) return absl::UnavailableError(absl::StrCat("raw baseline in ", dir, ": ", s.ToString()));
  std::unique_ptr<rocksdb::DB> db(raw);

  std::atomic<bool> measuring{false};
  std::atomic<bool> stop{false};
  std::vector<LatencySample> samples(options.threads);
  std::vector<uint64_t> writes(options.threads, 0);
  std::vector<std::string> errors(options.threads);
  std::vector<std::thread> threads;
  const std::string value(options.value_bytes, 'v');
  for (int t = 0; t < options.threads; ++t) {
    threads.emplace_back([&, t] {
      rocksdb::WriteOptions sync;
      sync.sync = true;
      uint64_t rng = 0x9E3779B97F4A7C15ull * (t + 1);
      std::string found;
      for (uint64_t seq = 0; !stop.load(std::memory_order_relaxed);) {
        const bool counted = measuring.load(std::memory_order_relaxed);
        const auto start = std::chrono::steady_clock::now();
        rocksdb::WriteBatch batch;
        for (int i = 0; i < options.batch; ++i) {
          const std::string key = BigEndianKey(t, seq++);
          batch.Put(cf[1], key, value);
          if (!options.log_shaped) continue;
          const std::string id = RandomId(&rng);
          db->Get(rocksdb::ReadOptions(), cf[3], id, &found).PermitUncheckedError();
          batch.Put(cf[2], absl::StrCat("bench-stream-", t, key), key);
          batch.Put(cf[3], id, key);
        }
        rocksdb::Status status = db->Write(sync, &batch);
        const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::steady_clock::now() - start).count();
        if (!status.ok()) {
          errors[t] = status.ToString();
          return;
        }
        if (counted) {
          samples[t].Add(micros);
          ++writes[t];
        }
      }
    });
  }
  absl::SleepFor(options.warmup);
  measuring.store(true);
  const absl::Time begin = absl::Now();
  absl::SleepFor(options.duration);
  measuring.store(false);
  const double seconds = absl::ToDoubleSeconds(absl::Now() - begin);
  stop.store(true);
  for (std::thread& thread : threads) thread.join();
  for (rocksdb::ColumnFamilyHandle* handle : cf) db->DestroyColumnFamilyHandle(handle);
  db.reset();
  std::filesystem::remove_all(dir, ignored);

  LatencySample all;
  uint64_t total_writes = 0;
  for (int t = 0; t < options.threads; ++t) {
    if (!errors[t].empty()) return absl::UnavailableError("raw baseline write: " + errors[t]);
    all.Merge(samples[t]);
    total_writes += writes[t];
  }
  BaselineFigures figures;
  figures.events_per_sec = seconds > 0 ? total_writes * options.batch / seconds : 0;
  figures.p50_us = all.Percentile(50);
  figures.p99_us = all.Percentile(99);
  figures.p999_us = all.Percentile(99.9);
  figures.value_bytes = options.value_bytes;
  return figures;
}

}  // namespace irm::bench
