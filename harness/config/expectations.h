// File: harness/config/expectations.h
//
// A per-implementation expectations file: which cases are known to fail (with
// a reason, and optionally the requirements the failure is about) and which
// are disabled. Kept in the implementation's repository so CI stays green on
// known bugs while a known failure that starts passing is reported as stale
// (so the file cannot rot).
//
//   # expectations/acme.yaml
//   known_failures:
//     "relay/replay-*": "ACME-123: duplicate Request-ID answered 200"
//     "relay/update-*":
//       reason: "ACME-130: update of a relinquished mailbox answered 200"
//       requirements: [RELAY-32, RELAY-40]
//   disabled:
//     "relay/race-*": "needs more than one core"
//
// Keys are case-id globs (fnmatch: *, ?, [..]); the first matching glob
// decides. A known failure given as a plain reason covers any FAIL of the
// case; one that names requirements covers FAILs of those requirements only
// (reports/results.h: a FAIL of another requirement is unexpected, and the
// expectation is stale when none of them FAILs). No known failure covers
// ERROR or TIMEOUT.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocol/result.h"

namespace tigress::harness {

// `KnownFailureRule` is one entry of `known_failures`.
struct KnownFailureRule {
  std::string glob;
  std::string reason;
  // Requirement IDs (RELAY-32, ...); empty: any FAIL of the case is expected.
  std::vector<std::string> requirements;
};

struct ExpectationsFile {
  std::vector<KnownFailureRule> known_failures;               // in file order
  std::vector<std::pair<std::string, std::string>> disabled;  // glob -> reason

  // `KnownFailure` is the reason of the first matching known-failure glob.
  std::optional<std::string> KnownFailure(const std::string& case_id) const;
  // `KnownFailureRequirements` is the requirement IDs of the first matching
  // known-failure glob; empty when it names none or no glob matches.
  std::vector<std::string> KnownFailureRequirements(const std::string& case_id) const;
  // `Disabled` is the reason of the first matching disabled glob.
  std::optional<std::string> Disabled(const std::string& case_id) const;
};

// `LoadExpectations` reads the file. Errors (kExpectationsInvalid) name
// file:line: unknown keys, non-string or empty reasons, empty globs, a
// known-failure map without a reason or with keys other than reason and
// requirements, an empty requirements list, and requirement IDs that do not
// match ^(RELAY|REPLAY|PAYLOAD|URL|INIT|RECIP|PRIV|SEC)-[0-9]{2,3}$.
Result<ExpectationsFile> LoadExpectations(const std::filesystem::path& path);
Result<ExpectationsFile> LoadExpectationsString(std::string text,
                                                const std::filesystem::path& path);

// `GlobMatch` is fnmatch(3) without flags.
bool GlobMatch(const std::string& pattern, const std::string& text);

}  // namespace tigress::harness
