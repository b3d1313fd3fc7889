#!/usr/bin/env bash
# Installs irm's build and test dependencies from Debian 12's packages, if any is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev libabsl-dev libgtest-dev libgmock-dev libbenchmark-dev libssl-dev
  nlohmann-json3-dev iso-codes openssl
  libjemalloc-dev  # irmd's allocator (docs/performance.md)
  chromium clang libcpp-httplib-dev prometheus-cpp-dev
  systemd  # systemd-analyze, for tests/deploy_test (ctest label deploy)
  etcd-server etcd-client  # cluster mode and its tests (docs/cluster.md)
  # The outside-client suite (tests/python) runs on /usr/bin/python3 with these; its stubs
  # come from protoc and grpc_python_plugin (protobuf-compiler-grpc).
  python3 python3-grpcio python3-protobuf python3-pytest
)

# The dashboard's browser test drives Chromium with playwright-core from npm
# (tests/browser/package-lock.json; ctest runs `npm ci` into the build folder).
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
