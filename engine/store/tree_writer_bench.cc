// irm-tree-bench: what growing the Merkle tree adds to the log's writer, per event.
//
// Mimics the AppendWriter's group commit in-process on a real RocksDB folder: each group
// encodes B events (~100 B of JSON each), puts them with their stream- and id-index entries
// into one WriteBatch and writes it; the "tree" variant also calls TreeWriter::Add for each
// event (leaf hash, node hashes, node puts), exactly as the writer does. Variants alternate
// over several rounds on fresh folders and the best round of each is reported, to damp the
// noise of a shared machine. Measures the writing thread's CPU time (what the single writer
// spends; unaffected by other processes on a busy machine) and prints ns/event for each
// variant and the difference.
//
//   irm-tree-bench [--events N] [--batch B] [--sync] [--rounds R] [--dir D]
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "engine/common/uuid.h"
#include "engine/store/keys.h"
#include "engine/store/log_database.h"
#include "engine/store/tree_writer.h"

namespace irm::store {
namespace {

struct Options {
  uint64_t events = 200000;
  uint64_t batch = 10;
  bool sync = false;
  int rounds = 3;
  std::string dir = "/tmp";
};

// Seconds to write `o.events` events; with_tree adds the tree's work.
double Run(const Options& o, bool with_tree, int round) {
  const std::string dir =
      absl::StrCat(o.dir, "/irm-tree-bench-", getpid(), "-", round, with_tree ? "-t" : "-n");
  std::filesystem::remove_all(dir);
  auto database = LogDatabase::Open(dir);
  if (!database.ok()) {
    std::fprintf(stderr, "%s\n", database.status().ToString().c_str());
    std::exit(1);
  }
  auto tree = TreeWriter::Open(database->get(), 0);
  if (!tree.ok()) std::exit(1);
  rocksdb::WriteOptions write_options;
  write_options.sync = o.sync;
  const std::string data = absl::StrCat("{\"note\":\"", std::string(88, 'x'), "\"}");
  timespec start;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
  uint64_t position = 0;
  while (position < o.events) {
    rocksdb::WriteBatch batch;
    audit::Frontier staged = (*tree)->Stage();
    for (uint64_t i = 0; i < o.batch && position < o.events; ++i) {
      log::EventRecord record;
      record.set_position(++position);
      record.set_stream(absl::StrCat("stream-", position % 64));
      record.set_revision(position / 64);
      record.set_id(common::Uuid::Random().Bytes());
      record.set_type("Noted");
      record.set_data(data);
      record.mutable_metadata()->set_recorded_at_us(1700000000000000 + position);
      const std::string key = EncodeBigEndian64(position);
      const std::string bytes = EncodeRecord(record);
      batch.Put((*database)->events(), key, bytes);
      if (with_tree) (*tree)->Add(&staged, bytes, &batch);
      batch.Put((*database)->streams(), StreamKey(record.stream(), record.revision()), key);
      batch.Put((*database)->ids(), record.id(), key);
    }
    if (!(*database)->Write(write_options, &batch).ok()) std::exit(1);
    if (with_tree) (*tree)->Publish(std::move(staged));
  }
  timespec end;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end);
  const double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) * 1e-9;
  tree->reset();
  database->reset();
  std::filesystem::remove_all(dir);
  return seconds;
}

int Main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : "";
    if (flag == "--sync") {
      o.sync = true;
    } else if (flag == "--events" && absl::SimpleAtoi(value, &o.events)) {
      ++i;
    } else if (flag == "--batch" && absl::SimpleAtoi(value, &o.batch) && o.batch > 0) {
      ++i;
    } else if (flag == "--rounds" && absl::SimpleAtoi(value, &o.rounds) && o.rounds > 0) {
      ++i;
    } else if (flag == "--dir" && *value != '\0') {
      o.dir = value;
      ++i;
    } else {
      std::fprintf(stderr,
                   "usage: irm-tree-bench [--events N] [--batch B] [--sync] [--rounds R] "
                   "[--dir D]\n");
      return flag == "--help" || flag == "-h" ? 0 : 2;
    }
  }
  double best_without = 1e30, best_with = 1e30;
  for (int round = 0; round < o.rounds; ++round) {
    best_without = std::min(best_without, Run(o, false, round));
    best_with = std::min(best_with, Run(o, true, round));
  }
  const double ns_without = best_without * 1e9 / o.events;
  const double ns_with = best_with * 1e9 / o.events;
  std::printf(
      "events %llu, batch %llu, sync %s, best of %d rounds, writer thread CPU: without tree %.0f "
      "ns/event (%.0f events/s), with tree %.0f ns/event (%.0f events/s): +%.0f ns/event "
      "(%+.1f%%)\n",
      static_cast<unsigned long long>(o.events), static_cast<unsigned long long>(o.batch),
      o.sync ? "yes" : "no", o.rounds, ns_without, 1e9 / ns_without, ns_with, 1e9 / ns_with,
      ns_with - ns_without, 100.0 * (ns_with - ns_without) / ns_without);
  return 0;
}

}  // namespace
}  // namespace irm::store

int main(int argc, char** argv) { return irm::store::Main(argc, argv); }
