#include "engine/store/family_options.h"

#include <memory>

#include "rocksdb/filter_policy.h"
#include "rocksdb/memtablerep.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"

namespace irm::store {
namespace {

// Length of the revision suffix of a streams-family key (keys.h).
constexpr size_t kRevisionBytes = 8;
// Event ids are 16 bytes (a UUID).
constexpr size_t kIdBytes = 16;
// Hash buckets of the ids memtable: about as many as ids one 64 MiB memtable holds.
constexpr size_t kIdBuckets = 1 << 19;

// A streams-family key's stream part: the name and its 0x00, without the revision.
class StreamPartTransform final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "irm.StreamPart"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), key.size() - kRevisionBytes);
  }
  bool InDomain(const rocksdb::Slice& key) const override { return key.size() > kRevisionBytes; }
};

}  // namespace

rocksdb::DBOptions LogDatabaseOptions() {
  rocksdb::DBOptions options;
  // The ids family's hash memtable cannot take concurrent inserts; the log has one
  // committer anyway, so concurrent memtable writes would only overlap it with projections.
  options.allow_concurrent_memtable_write = false;
  return options;
}

rocksdb::ColumnFamilyOptions StreamsFamilyOptions() {
  rocksdb::ColumnFamilyOptions options;
  // Remember, per stream, where the last key went into the memtable, so that appending a
  // revision does not search the whole skiplist from the top (appends interleave streams).
  options.memtable_insert_with_hint_prefix_extractor = std::make_shared<StreamPartTransform>();
  return options;
}

rocksdb::ColumnFamilyOptions IdsFamilyOptions() {
  rocksdb::ColumnFamilyOptions options;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.whole_key_filtering = true;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // Every append looks up each new event id, which is almost never there: a memtable Bloom
  // filter answers "not there" without walking the memtable.
  options.memtable_prefix_bloom_size_ratio = 0.1;
  options.memtable_whole_key_filtering = true;
  // Random keys make every skiplist insert a full search; a hash of whole ids (the prefix
  // is the whole key) inserts and finds in constant time. Iterating this family in key
  // order would be slow, and nothing does.
  options.prefix_extractor.reset(rocksdb::NewCappedPrefixTransform(kIdBytes));
  options.memtable_factory.reset(rocksdb::NewHashSkipListRepFactory(kIdBuckets));
  return options;
}

}  // namespace irm::store
