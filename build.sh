#!/usr/bin/env bash
# KmodGuard build entry point. Run ./build.sh help for the subcommands.
# Everything it needs it installs (as root, with apt-get) or names (otherwise); no hand steps.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"
CONFIG=${CONFIG:-Release}
ARTIFACTS=$ROOT/artifacts
NATIVE_BUILD=$ARTIFACTS/native
RESULTS=$ARTIFACTS/test-results
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<'EOF'
usage: ./build.sh [command] [args]

  build            build the .NET solution and the native code (default)
  test             build, then run every test suite; ends with "N passed, M failed[, K skipped]"
  run [args]       build and run the agent on the embedded default policy (replay of a sample log without root)
  loadtest [rate] [seconds]
                   live load harness (root): module syscalls at RATE/s (20000) for SECONDS (30), agent vs auditd,
                   then decision latency for loaders that exit at once (tests/perf/loader-latency.sh)
  bench [filter]   run the BenchmarkDotNet benchmarks (filter: a BenchmarkDotNet --filter glob, e.g. '*Policy*')
  e2e              boot a stock Debian kernel under qemu with the NativeAOT agent and run the scenarios (tests/e2e)
  package          publish the NativeAOT agent and build the .deb and .rpm (artifacts/packages)
  help             this text

Environment: CONFIG (Release), MACOS_SDK / MACOS_SDK12 (macOS SDK roots for the shim syntax checks).
EOF
}

# --- prerequisites --------------------------------------------------------------------------------

ensure_dotnet() {
  command -v dotnet >/dev/null 2>&1 ||
    die "the .NET 10 SDK is required: see https://learn.microsoft.com/dotnet/core/install/linux (Debian/Ubuntu: the dotnet-sdk-10.0 package)"
  dotnet --list-sdks 2>/dev/null | grep -q '^10\.' ||
    die "the .NET 10 SDK is required, found: $(dotnet --list-sdks | tr '\n' ' ')"
}

APT_UPDATED=
# have_packages PKG...: true when every Debian package is installed.
have_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1
  done
}

# ensure_packages WHY PKG...: install missing Debian packages as root, else name them and fail.
ensure_packages() {
  local why=$1; shift
  local missing=() p
  for p in "$@"; do have_packages "$p" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    warn "$why needs ${missing[*]} and this system has no apt-get: install them with your package manager"
    return 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    warn "$why needs ${missing[*]}: run 'sudo apt-get install -y ${missing[*]}' (or run this script as root)"
    return 1
  fi
  log "installing ${missing[*]} (needed for $why)"
  if [ -z "$APT_UPDATED" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null || warn "apt-get update failed; trying the install anyway"
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# --- build ----------------------------------------------------------------------------------------

build_dotnet() {
  ensure_dotnet
  log "restoring NuGet packages"
  dotnet restore KmodGuard.sln --verbosity quiet
  log "building KmodGuard.sln ($CONFIG)"
  dotnet build KmodGuard.sln -c "$CONFIG" --no-restore --nologo -clp:ErrorsOnly -v quiet
}

build_native() {
  [ -f native/CMakeLists.txt ] || return 0
  if ! ensure_packages "the native code and its tests" cmake make clang libblocksruntime-dev; then
    NATIVE_SKIPPED="native build needs cmake, clang and libblocksruntime-dev"
    return 0
  fi
  # Optional tools of the macOS shim's tests (each is skipped without it): clang's sanitizer runtime for the
  # ASan/UBSan build, valgrind, and plistutil for the property-list round trips.
  ensure_packages "the ES shim's sanitizer, valgrind and plist tests" \
    "libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev" valgrind libplist-utils || true
  # The libauparse peer of the audit parsing benchmark (native/linux); skipped by CMake when missing.
  ensure_packages "the audit parsing benchmark peer (native/linux/auparse_bench)" libauparse-dev || true
  log "building native code"
  cmake -S native -B "$NATIVE_BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang >/dev/null
  cmake --build "$NATIVE_BUILD" --parallel "$(nproc)" >/dev/null
  check_macos_sdk
}

# The shim must compile against Apple's real headers; run whenever an SDK root is given.
check_macos_sdk() {
  [ -n "${MACOS_SDK:-}${MACOS_SDK12:-}" ] || return 0
  [ -x native/check-macos-sdk.sh ] || return 0
  log "syntax-checking the macOS shim against the SDK headers"
  native/check-macos-sdk.sh
}

# The macOS container app targets net10.0-macos (Microsoft.macOS workload), so it is not in KmodGuard.sln.
build_macos_app() {
  if [ "$(uname -s)" != Darwin ]; then
    log "skipping src/KmodGuard.MacOS.App: net10.0-macos builds on macOS only (see docs/macos.md)"
    return 0
  fi
  log "building src/KmodGuard.MacOS.App (net10.0-macos)"
  dotnet build src/KmodGuard.MacOS.App -c "$CONFIG" --nologo -clp:ErrorsOnly -v quiet
}

cmd_build() {
  build_dotnet
  build_macos_app
  build_native
}

# publish_agent: the shipped NativeAOT binary at artifacts/publish/kmodguard. Fails on any trim/AOT warning.
publish_agent() {
  ensure_dotnet
  ensure_packages "the NativeAOT publish" clang zlib1g-dev || return 1
  local log=$ARTIFACTS/publish.log
  mkdir -p "$ARTIFACTS"
  log "publishing the NativeAOT agent (artifacts/publish/kmodguard)"
  if ! dotnet publish src/KmodGuard.Agent -c Release -r linux-x64 -o "$ARTIFACTS/publish" --nologo >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    return 1
  fi
  if grep -E 'warning (IL|AOT)[0-9]+' "$log" >&2; then
    warn "the NativeAOT publish produced trim/AOT warnings (above)"
    return 1
  fi
}

# --- test -----------------------------------------------------------------------------------------

TOTAL_PASSED=0 TOTAL_FAILED=0 TOTAL_SKIPPED=0
NATIVE_SKIPPED=

# count_trx FILE: add the counters of one VSTest TRX file to the totals.
count_trx() {
  local counters passed failed skipped
  counters=$(grep -o '<Counters [^>]*>' "$1" | head -n 1 || true)
  passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  # VSTest counts skipped tests as neither executed nor notExecuted: total - executed.
  skipped=$(sed -n 's/.* total="\([0-9]*\)" executed="\([0-9]*\)".*/\1 - \2/p' <<<"$counters")
  skipped=$((${skipped:-0}))
  TOTAL_PASSED=$((TOTAL_PASSED + ${passed:-0}))
  TOTAL_FAILED=$((TOTAL_FAILED + ${failed:-0}))
  TOTAL_SKIPPED=$((TOTAL_SKIPPED + ${skipped:-0}))
  SUITE_FAILED=${failed:-0}
}

# count_junit FILE: add the counters of one JUnit XML file (CTest) to the totals.
count_junit() {
  local head tests failures skipped
  head=$(grep -o '<testsuite [^>]*>' "$1" | head -n 1 || true)
  tests=$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$head")
  failures=$(sed -n 's/.* failures="\([0-9]*\)".*/\1/p' <<<"$head")
  skipped=$(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$head")
  tests=${tests:-0} failures=${failures:-0} skipped=${skipped:-0}
  TOTAL_PASSED=$((TOTAL_PASSED + tests - failures - skipped))
  TOTAL_FAILED=$((TOTAL_FAILED + failures))
  TOTAL_SKIPPED=$((TOTAL_SKIPPED + skipped))
}

run_dotnet_suite() {
  local project=$1 name rc trx
  name=$(basename "$project" .csproj)
  trx=$RESULTS/$name.trx
  rm -f "$trx"
  log "testing $name"
  set +e
  dotnet test "$project" -c "$CONFIG" --no-build --nologo \
    --logger "trx;LogFileName=$trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" \
    2>&1 | grep --line-buffered -vE '^\s+Passed |^\[xUnit\.net [0-9:.]+\]   (Discover|Start|Finish)|^A total of|^Test run for|^Results File|xUnit.net VSTest Adapter|^\s*$'
  rc=${PIPESTATUS[0]}
  set -e
  SUITE_FAILED=0
  if [ -f "$trx" ]; then count_trx "$trx"; fi
  # A crashed or aborted test host leaves no (or incomplete) results: count it as a failure.
  if [ "$rc" -ne 0 ] && [ "$SUITE_FAILED" -eq 0 ]; then
    warn "$name: the test run failed without a failing test (crash or abort), counted as 1 failure"
    TOTAL_FAILED=$((TOTAL_FAILED + 1))
  fi
}

run_native_suite() {
  [ -f "$NATIVE_BUILD/CTestTestfile.cmake" ] || return 0
  local junit=$RESULTS/native.junit.xml rc
  log "testing native code (CTest)"
  set +e
  (cd "$NATIVE_BUILD" && ctest --output-on-failure --output-junit "$junit" --timeout 600) 2>&1 | tail -n 25
  rc=${PIPESTATUS[0]}
  set -e
  if [ -f "$junit" ]; then count_junit "$junit"; elif [ "$rc" -ne 0 ]; then TOTAL_FAILED=$((TOTAL_FAILED + 1)); fi
}

cmd_test() {
  cmd_build
  # The shipped binary must publish NativeAOT with zero trim/AOT warnings (counted as one test below); the e2e guest
  # runs that binary.
  local published=0
  # The packaging tests run ./build.sh package: it reuses this publish instead of repeating it.
  if publish_agent; then published=1; export KMODGUARD_PUBLISHED_BY_TEST=1; fi
  ensure_packages "the telemetry wire-format test (protoc --decode_raw)" protobuf-compiler || true
  prepare_e2e || true
  # auditctl and ausearch: the oracles of the audit rule codec and record decoding tests (they skip without them).
  ensure_packages "the audit rule and record oracle tests (auditctl, ausearch)" auditd || true
  mkdir -p "$RESULTS"
  # The module inspection tests check their verdicts against the openssl and xz tools (skipped without them).
  ensure_packages "the module signature cross-check tests" openssl xz-utils || true
  # The packaging tests (tests/KmodGuard.Packaging.Tests) skip, saying why, when these are missing.
  ensure_packages "the packaging tests" debootstrap lintian rpm python3-seccomp systemd systemd-container || true
  local project
  for project in tests/*/*.Tests.csproj; do
    run_dotnet_suite "$project"
  done
  run_native_suite
  if [ "$published" -eq 1 ]; then TOTAL_PASSED=$((TOTAL_PASSED + 1)); else TOTAL_FAILED=$((TOTAL_FAILED + 1)); fi
  if [ -n "$NATIVE_SKIPPED" ]; then warn "native suites not run: $NATIVE_SKIPPED"; fi
  report_totals
}

# report_totals: the one summary line; fails when anything failed or nothing passed.
report_totals() {
  local summary="$TOTAL_PASSED passed, $TOTAL_FAILED failed"
  if [ "$TOTAL_SKIPPED" -gt 0 ]; then summary="$summary, $TOTAL_SKIPPED skipped"; fi
  echo "$summary"
  [ "$TOTAL_FAILED" -eq 0 ] && [ "$TOTAL_PASSED" -gt 0 ]
}

# --- end-to-end: a real kernel under qemu ---------------------------------------------------------

E2E_PACKAGES=(qemu-system-x86 busybox-static cpio xz-utils lz4 zstd openssl)

# prepare_e2e: installs what the qemu suite needs (it runs the published NativeAOT agent in the guest). When that is
# impossible the suite skips itself, saying why (KMODGUARD_E2E_SKIP).
prepare_e2e() {
  if ! ensure_packages "the qemu end-to-end suite" "${E2E_PACKAGES[@]}"; then
    export KMODGUARD_E2E_SKIP="the e2e suite needs the Debian packages ${E2E_PACKAGES[*]}"
    return 1
  fi
}

cmd_e2e() {
  build_dotnet
  prepare_e2e || die "$KMODGUARD_E2E_SKIP"
  publish_agent || die "the NativeAOT publish failed (see artifacts/publish.log)"
  mkdir -p "$RESULTS"
  run_dotnet_suite tests/KmodGuard.E2E.Tests/KmodGuard.E2E.Tests.csproj
  report_totals
}

# --- package --------------------------------------------------------------------------------------

cmd_package() {
  ensure_packages "the .deb and .rpm packages" rpm dpkg-dev binutils || die "building the packages needs rpm (rpmbuild), dpkg-dev (dpkg-shlibdeps) and binutils (strip)"
  [ -n "${KMODGUARD_PUBLISHED_BY_TEST:-}" ] || publish_agent || die "the NativeAOT publish failed (see artifacts/publish.log)"
  log "building the .deb and .rpm (artifacts/packages)"
  packaging/linux/build-packages.sh "$ARTIFACTS/publish" "$ARTIFACTS/packages"
}

# --- run and bench --------------------------------------------------------------------------------

cmd_run() {
  build_dotnet
  build_native
  local exe=$ARTIFACTS/bin/KmodGuard.Agent/${CONFIG,,}/kmodguard
  if [ $# -gt 0 ]; then
    exec "$exe" "$@"
  fi
  if [ "$(id -u)" -ne 0 ]; then
    # Without root there is no live audit: show the main job on a bundled sample log instead.
    log "not root: 'kmodguard run' needs root to use the kernel's audit subsystem (try: sudo ./build.sh run)."
    log "meanwhile, here is the same policy engine on a sample audit log (kmodguard replay):"
    exec "$exe" replay --format text tests/fixtures/audit/sample/audit.log
  fi
  log "running the agent on the embedded default policy (monitor mode); decisions follow, one JSON object per line."
  log "in another terminal, try: $NATIVE_BUILD/linux/kmodguard-modtest init   (Ctrl-C stops the agent and restores the kernel's audit state)"
  local state=$ARTIFACTS/run-state
  mkdir -p "$state"
  exec "$exe" run --config "$state/kmodguard.yaml" --policy "$state/policy.yaml" --state-dir "$state" --status-socket "$state/status.sock"
}

cmd_loadtest() {
  build_native # the generator and the latency reader; the agent comes from the publish
  publish_agent || die "the NativeAOT publish failed (see artifacts/publish.log)"
  ensure_packages "the load harness's auditd peer" auditd || die "the load harness needs auditd"
  tests/perf/live-load.sh "$@"
  tests/perf/loader-latency.sh
}

cmd_bench() {
  ensure_dotnet
  local filter=${1:-*}
  build_native # the audit benchmark's libauparse peer
  log "running benchmarks matching '$filter' (Release)"
  dotnet run -c Release --project tests/KmodGuard.Benchmarks -- --filter "$filter" --artifacts "$ARTIFACTS/benchmarks"
}

command=${1:-build}
[ $# -gt 0 ] && shift
case "$command" in
  build) cmd_build ;;
  test) cmd_test ;;
  run) cmd_run "$@" ;;
  bench) cmd_bench "$@" ;;
  loadtest) cmd_loadtest "$@" ;;
  e2e) cmd_e2e ;;
  package) cmd_package ;;
  help|-h|--help) usage ;;
  *) usage >&2; exit 2 ;;
esac
