// File: harness/expectations.h
//
// A per-implementation expectations file: which cases are known to fail (with
// a reason) and which are disabled. Kept in the implementation's repository so
// CI stays green on known bugs while a known failure that starts passing is
// reported as stale (so the file cannot rot).
//
//   # expectations/acme.yaml
//   known_failures:
//     "relay/replay-*": "ACME-123: duplicate Request-ID answered 200"
//   disabled:
//     "relay/race-*": "needs more than one core"
//
// Keys are case-id globs (fnmatch: *, ?, [..]).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocol/result.h"

namespace tigress::harness {

struct ExpectationsFile {
  std::vector<std::pair<std::string, std::string>> known_failures;  // glob -> reason
  std::vector<std::pair<std::string, std::string>> disabled;        // glob -> reason

  // `KnownFailure` is the reason of the first matching known-failure glob.
  std::optional<std::string> KnownFailure(const std::string& case_id) const;
  // `Disabled` is the reason of the first matching disabled glob.
  std::optional<std::string> Disabled(const std::string& case_id) const;
};

// `LoadExpectations` reads the file. Errors (kExpectationsInvalid) name
// file:line: unknown keys, non-string reasons, empty globs.
Result<ExpectationsFile> LoadExpectations(const std::filesystem::path& path);
Result<ExpectationsFile> LoadExpectationsString(std::string text,
                                                const std::filesystem::path& path);

// `GlobMatch` is fnmatch(3) without flags.
bool GlobMatch(const std::string& pattern, const std::string& text);

}  // namespace tigress::harness
