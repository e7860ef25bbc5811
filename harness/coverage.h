// File: harness/coverage.h
//
// Requirement coverage of the test catalogue itself (no implementation runs):
// which scenarios and which known-answer vectors check each requirement of
// vectors/requirements.json, and, for every requirement nothing checks, the
// reason the catalogue gives in its `not_checked` member. Pure logic except
// `LoadVectorRefs`, which reads the vector files.
//
//   auto vectors = LoadVectorRefs("vectors").value();
//   CoverageReport rep = ComputeCatalogueCoverage(catalog, scenarios, vectors);
//   std::cout << RenderCoverageText(rep);
//   return rep.Problems(/*strict=*/false).empty() ? 0 : 1;
//
// Rules:
// - A requirement is *checked* when a scenario names it (declared or cited by
//   an expectation) or a vector that reaches implementations cites it:
//   payload_aead vectors and share_url parse/build vectors, which
//   `tigress-harness vectors --impl` sends through an adapter. Vectors that
//   only exercise the protocol core (share_url strip, messages) are listed
//   but do not count.
// - Every unchecked requirement must carry `not_checked` {category, reason};
//   one that does not is a problem of kind kUnchecked (it lost its last case,
//   or never had one). This is what keeps MUST/SHALL coverage from eroding.
// - A checked requirement that still carries `not_checked` is kStale: the
//   reason no longer holds. It is a problem only in strict mode, so adding a
//   scenario never breaks the build before the catalogue is tidied.
#pragma once

#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/scenario.h"
#include "protocol/result.h"
#include "reports/requirements.h"

namespace tigress::harness {

// `VectorRef` is one known-answer vector and the requirements it cites.
struct VectorRef {
  std::string id;      // "payload-aead-011-kat1-tampered"
  std::string family;  // "payload_aead", "share_url", "messages"
  std::string operation;
  std::vector<std::string> requirements;
  // True when `tigress-harness vectors --impl` runs it through an adapter.
  bool reaches_implementations = false;
};

// `VectorReachesImplementations` is the rule above: every payload_aead
// vector, share_url parse and build; nothing else.
bool VectorReachesImplementations(const std::string& family, const std::string& operation);

// `LoadVectorRefs` reads every *.json in `dir` except requirements*.json and
// *.schema.json (the vector files: {family, tests: [{id, requirements,
// operation?}]}). Errors: kIoFailure, kJsonInvalid, kConfigInvalid naming the
// file and the vector.
Result<std::vector<VectorRef>> LoadVectorRefs(const std::filesystem::path& dir);

// `RequirementCoverage` is what the test catalogue says about one requirement.
struct RequirementCoverage {
  const reports::Requirement* requirement = nullptr;  // into the catalogue
  std::vector<std::string> cases;                     // scenario ids, sorted
  std::vector<std::string> vectors;                   // adapter vectors, sorted
  std::vector<std::string> core_vectors;              // protocol-core-only vectors, sorted

  bool Checked() const { return !cases.empty() || !vectors.empty(); }
};

// `CoverageProblem` is a requirement the catalogue and the tests disagree on.
struct CoverageProblem {
  enum class Kind {
    kUnchecked,  // nothing checks it and `not_checked` gives no reason
    kStale,      // something checks it but `not_checked` says nothing can
  };
  Kind kind = Kind::kUnchecked;
  std::string requirement_id;
  std::string message;  // one line, names the requirement and what to do
};

// `CoverageTally` counts requirements of one level or severity.
struct CoverageTally {
  int total = 0;
  int checked = 0;
  std::map<std::string, int> not_checked;  // by category
  int unexplained = 0;                     // unchecked without a reason
};

// `CoverageReport` is the coverage of every catalogue requirement.
struct CoverageReport {
  std::vector<RequirementCoverage> entries;  // catalogue order
  std::size_t scenario_count = 0;
  std::size_t vector_count = 0;  // vectors that reach implementations
  std::vector<CoverageProblem> unchecked;
  std::vector<CoverageProblem> stale;
  std::map<std::string, CoverageTally> by_level;     // "MUST", "SHALL", "implied", ...
  std::map<std::string, CoverageTally> by_severity;  // "must", "should", "may", "info"

  // `Problems` is `unchecked`, plus `stale` when `strict`.
  std::vector<CoverageProblem> Problems(bool strict) const;
};

// `ComputeCatalogueCoverage` applies the rules above. Scenario and vector
// references to IDs the catalogue lacks are ignored here (the scenario
// loader and the vector schemas refuse them).
CoverageReport ComputeCatalogueCoverage(const reports::Catalog& catalog,
                                        const ScenarioSet& scenarios,
                                        std::span<const VectorRef> vectors);

// `RenderCoverageText` is the `tigress-harness coverage` output: one line per
// requirement (ID, level, severity, the checks or the reason), the tallies by
// severity and by level, then the problems.
std::string RenderCoverageText(const CoverageReport& report, bool verbose);

// `CoverageToJson` is the same as a JSON document (`coverage --json`).
nlohmann::json CoverageToJson(const CoverageReport& report);

}  // namespace tigress::harness
