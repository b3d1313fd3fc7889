// RocksDB options of the log's column families (keys.h), tuned to how each is written and
// read. Changing them never changes what is stored: data folders written with other options
// open and read the same.
#ifndef IRM_ENGINE_STORE_FAMILY_OPTIONS_H_
#define IRM_ENGINE_STORE_FAMILY_OPTIONS_H_

#include "rocksdb/options.h"

namespace irm::store {

// The database-wide options (memtable writes are not concurrent: see the .cc).
rocksdb::DBOptions LogDatabaseOptions();

// streams: each append adds keys at the end of its stream's range.
rocksdb::ColumnFamilyOptions StreamsFamilyOptions();

// ids: random 16-byte keys, only ever put and looked up one by one, never iterated.
rocksdb::ColumnFamilyOptions IdsFamilyOptions();

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_FAMILY_OPTIONS_H_
