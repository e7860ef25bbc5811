// File: harness/repro/bundle.h
//
// Reproduction bundles: one self-contained tar.gz per failing case
// (cases/<case dir>/repro-<case dir>.tar.gz), enough to rerun the case on
// another machine with `tigress-harness repro BUNDLE`.
//
//   BundleInfo info = ...;                   // what bundle.json says
//   std::vector<BundleMember> files = ...;   // paths relative to the bundle root
//   WriteBundle("repro-x.tar.gz", info, files).value();
//   Bundle b = ReadBundle("repro-x.tar.gz").value();
//   ExtractBundle(b, tmp_dir).value();
//
// Layout (every member under one top directory, the archive's stem, so that
// `tar xzf` yields one folder):
//
//   repro-<case dir>/bundle.json        format, case, seeds, implementations,
//                                       findings, the exact rerun command
//   repro-<case dir>/scenario.yaml      the scenario as written (what repro runs)
//   repro-<case dir>/manifests/<name>.yaml   each implementation's manifest, its
//                                       env values replaced by kRedactedEnvValue
//   repro-<case dir>/expectations.yaml  the run's --expectations file, if any
//   repro-<case dir>/case/<file>        the case directory's files: resolved.yaml,
//                                       http.log, *.jsonrpc.log, *.stderr.log,
//                                       *.stdout.log, transcript.har, repro.sh
//
// A manifest's `env` may carry credentials (API tokens, licence keys), so
// its values stay out of the bundle; the names stay, so that repro can say
// which ones the rerun lacks. Every member's text passes through the
// caller's redaction function before
// it is written (the runner passes its RedactionGuard), so a Secret a process
// printed to stderr is removed as well. Work directories (relay database,
// device state) and the run's private key are never included.
//
// Reading is strict because a bundle may come from elsewhere: only regular
// files and directories, relative paths without "." or ".." segments, at most
// `kMaxBundleMembers` members of at most `kMaxBundleMemberBytes` each and
// `kMaxBundleTotalBytes` together (bundle.json included); errors are
// kBundleInvalid naming the member, kIoFailure for unreadable files. The
// writer leaves out case files that would pass either size cap.
//
// Units: bundle_info.cc (bundle.json), bundle_writer.cc (WriteBundle,
// WriteCaseBundle), bundle_reader.cc (ReadBundle), bundle.cc (member paths,
// ExtractBundle, findings); bundle_internal.h is what they share.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/config/manifest.h"
#include "protocol/result.h"
#include "reports/results.h"

namespace tigress::harness {

// Identifies bundle.json; the integer is bumped for incompatible changes.
inline constexpr std::string_view kBundleFormatName = "tigress-harness/repro-bundle";
inline constexpr int kBundleFormatVersion = 1;

inline constexpr std::size_t kMaxBundleMembers = 512;
inline constexpr std::size_t kMaxBundleMemberBytes = 16U << 20U;  // larger case files are left out
// What all members may unpack to together: 512 members of 16 MiB would be 8 GiB.
inline constexpr std::size_t kMaxBundleTotalBytes = 64U << 20U;

// `BundleImplementation` is one implementation that took part in the case.
struct BundleImplementation {
  std::string name;                   // the manifest's name
  std::string version;                // the adapter's hello version, else the manifest's
  std::vector<std::string> features;  // declared features (manifest and hello)
  std::vector<std::string> roles;     // relay / initiator / recipient played in the case
  std::string manifest;               // member path, "manifests/<name>.yaml"
  std::string original_path;          // the manifest file when the bundle was written
  std::string original_root;          // its {root}; repro uses it when it still exists
};

// `BundleFinding` is one failing assertion of the recorded case.
struct BundleFinding {
  std::string requirement_id;  // empty for harness breakage
  std::string verdict;         // FAIL / ERROR / TIMEOUT
  std::string message;
  std::string expected;
  std::string actual;
};

// `BundleInfo` is bundle.json.
struct BundleInfo {
  int format_version = kBundleFormatVersion;
  std::string case_id;          // as in the run, including "#n" and "@relay+initiator+recipient"
  std::string scenario_id;      // the scenario's own id
  int repetition = 0;           // 0-based (--repeat)
  std::uint64_t run_seed = 0;   // the run's --seed (the case seed derives from it)
  std::uint64_t case_seed = 0;  // what the case used
  std::string profile = "strict";
  bool matrix = false;  // the case id carries a matrix cell label
  std::string relay;    // implementation names per role; empty when not played
  std::string initiator;
  std::string recipient;
  std::string verdict;  // the recorded case verdict
  std::vector<BundleFinding> findings;
  std::vector<BundleImplementation> implementations;
  std::string scenario = "scenario.yaml";  // member path
  std::string expectations;                // member path; empty when the run had none
  bool expected_failure = false;           // the expectations file knew this failure
  std::string harness_version;
  std::string created;               // RFC 3339 UTC
  std::string command;               // the exact command that reruns the case (as repro.sh)
  std::string command_line;          // how the recording run was invoked
  std::vector<std::string> files;    // member paths besides bundle.json, in archive order
  std::vector<std::string> omitted;  // case files left out, with the reason
};

// `BundleInfoToJson` renders bundle.json (pretty, deterministic).
std::string BundleInfoToJson(const BundleInfo& info);

// `ParseBundleInfo` reads bundle.json. Errors: kBundleInvalid naming the field
// (wrong format name or version, missing case id / scenario id / member paths).
Result<BundleInfo> ParseBundleInfo(std::string_view json);

// `BundleMember` is one file of a bundle.
struct BundleMember {
  std::string path;  // relative to the bundle root, '/'-separated
  std::string data;
  bool executable = false;
};

// `Bundle` is a bundle read into memory.
struct Bundle {
  BundleInfo info;
  std::vector<BundleMember> members;  // without bundle.json
  const BundleMember* Find(std::string_view path) const;
};

// What every `env` value of a bundled manifest is replaced with.
inline constexpr std::string_view kRedactedEnvValue = "[redacted by tigress-harness]";

// `RedactManifestEnv` is the manifest text `text` (read from `path`) with
// every `env` value replaced by kRedactedEnvValue and the names kept,
// re-emitted as YAML under a comment saying so; a manifest without env
// entries is returned as written. Errors: kManifestInvalid (naming `path`)
// for text that is not YAML.
Result<std::string> RedactManifestEnv(const std::string& text, const std::filesystem::path& path);

// `IsSafeMemberPath` holds for non-empty relative '/'-separated paths whose
// segments are not empty, "." or "..", without backslashes or control
// characters.
bool IsSafeMemberPath(std::string_view path);

// `WriteBundle` writes bundle.json (with `info.files` set from `members`) and
// the members as a gzip-compressed POSIX tar under the top directory named
// after `out`'s stem, via a temporary file renamed into place. Errors:
// kBundleInvalid for an unsafe or duplicate member path, kIoFailure.
Result<void> WriteBundle(const std::filesystem::path& out, BundleInfo info,
                         const std::vector<BundleMember>& members);

// `ReadBundle` reads and checks a bundle written by `WriteBundle`.
Result<Bundle> ReadBundle(const std::filesystem::path& in);

// `ExtractBundle` writes bundle.json and every member under `dir` (created).
Result<void> ExtractBundle(const Bundle& bundle, const std::filesystem::path& dir);

// `CaseBundleInput` is what the runner knows about a finished failing case.
struct CaseBundleInput {
  const reports::CaseResult* result = nullptr;  // finalized
  std::filesystem::path case_dir;               // absolute
  std::string scenario_id;
  std::string scenario_text;
  int repetition = 0;
  std::uint64_t run_seed = 0;
  std::string profile;
  bool matrix = false;
  const Manifest* relay = nullptr;  // null when the role is not played
  const Manifest* initiator = nullptr;
  const Manifest* recipient = nullptr;
  // Adapter-reported version and features by manifest name (may be empty).
  std::function<std::pair<std::string, std::vector<std::string>>(const std::string&)> hello;
  std::filesystem::path expectations_path;  // empty: none
  std::string harness_version;
  std::string created;
  std::string command;
  std::string command_line;
  std::function<std::string(std::string_view)> redact;  // applied to every member
};

// `BundleFileName` is "repro-<case dir name>.tar.gz".
std::string BundleFileName(const std::filesystem::path& case_dir);

// `WriteCaseBundle` collects the case's files, manifests, scenario and
// expectations into `case_dir / BundleFileName(case_dir)` and returns that
// path. Errors as `WriteBundle`, kIoFailure for an unreadable manifest.
Result<std::filesystem::path> WriteCaseBundle(const CaseBundleInput& in);

// `FailingFindings` lists the FAIL/ERROR/TIMEOUT assertions of a case.
std::vector<BundleFinding> FailingFindings(const reports::CaseResult& c);

// `FailureSignature` is "<verdict> [<sorted unique requirement ids>]" of the
// failing findings ("-" stands for an empty requirement id); repro compares
// signatures to tell "reproduced" from "fails differently".
std::string FailureSignature(std::string_view verdict, const std::vector<BundleFinding>& findings);

}  // namespace tigress::harness
