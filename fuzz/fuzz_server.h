// FuzzServer: irmd's services wired as irmd wires them (log, live feed, projections, review
// workflow, reports) over a real RocksDB log in a temporary folder, served in-process, for
// fuzz targets that feed request messages to the real handlers. The backup RPC has no
// handler here (it would write to arbitrary folders), so it answers UNIMPLEMENTED.
//
// One instance per process (Get()), never destroyed: libFuzzer exits without unwinding.
#ifndef IRM_FUZZ_FUZZ_SERVER_H_
#define IRM_FUZZ_FUZZ_SERVER_H_

#include <memory>

#include "grpcpp/grpcpp.h"

namespace irm::fuzz {

class FuzzServer {
 public:
  static FuzzServer& Get();
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }

 private:
  FuzzServer();
  struct Parts;
  std::unique_ptr<Parts> parts_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace irm::fuzz

#endif  // IRM_FUZZ_FUZZ_SERVER_H_
