// File: harness/scenario/coverage.h
//
// Requirement coverage of the test catalogue itself (no implementation runs):
// which scenarios and which known-answer vectors check each requirement of
// vectors/requirements.json, and, for every requirement nothing checks, the
// reason the catalogue gives in its `not_checked` member. Pure logic except
// `LoadVectorRefs`, which reads the vector files.
//
//   auto vectors = LoadVectorRefs("vectors").value();
//   CoverageReport rep =
//       ComputeCatalogueCoverage(catalog, scenarios, vectors, oracle_requirements);
//   std::cout << RenderCoverageText(rep);
//   return rep.Problems(/*strict=*/false).empty() ? 0 : 1;
//
// Rules:
// - A requirement is *checked* when something asserts it: an expectation of
//   a scenario (`req`), a step's own `req` (the implicit check of a call that
//   must succeed; a push step asserts its `req`, RELAY-50 by default, and
//   PRIV-10), an oracle (`oracle_requirements`: the requirements the
//   transcript oracles of harness/oracles/oracles.h cite, which run in every scenario
//   with a relay and a device role), or a vector that reaches implementations:
//   payload_aead vectors and share_url parse/build vectors, which
//   `tigress-harness vectors --impl` sends through an adapter. Vectors that
//   only exercise the protocol core (share_url strip, messages) are listed
//   but do not count.
// - A scenario that only lists a requirement in `requirements:` does not
//   check it: the requirement is *declared but not asserted* there. Such
//   requirements are counted and listed (`declared_not_asserted`), not
//   problems in themselves.
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

#include "harness/scenario/scenario.h"
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
  std::vector<std::string> cases;  // scenario ids whose expectations or steps assert it, sorted
  std::vector<std::string> oracle_cases;   // scenario ids in which an oracle asserts it, sorted
  std::vector<std::string> vectors;        // adapter vectors, sorted
  std::vector<std::string> core_vectors;   // protocol-core-only vectors, sorted
  std::vector<std::string> declared_only;  // scenario ids that declare it, assert nothing, sorted

  bool Checked() const { return !cases.empty() || !oracle_cases.empty() || !vectors.empty(); }
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

// `RevisionCoverage` is the coverage under one draft revision (the catalogue
// as `Catalog::ForRevision` reads it): the requirements that apply there
// (severity other than info) and how many of those something checks. Which
// checks exist does not depend on the revision; only what applies does.
struct RevisionCoverage {
  std::string revision;  // "sct-04"
  std::string document;  // the catalogue's `document` of that revision
  int applies = 0;
  int checked = 0;
  // Requirements that apply under the default revision but are info here
  // (the revision has no such statement), catalogue order.
  std::vector<std::string> info_here;
};

// `CoverageReport` is the coverage of every catalogue requirement.
struct CoverageReport {
  std::vector<RequirementCoverage> entries;  // catalogue order
  std::size_t scenario_count = 0;
  std::size_t vector_count = 0;  // vectors that reach implementations
  std::vector<CoverageProblem> unchecked;
  std::vector<CoverageProblem> stale;
  // Requirements some scenario declares that no scenario asserts (neither an
  // expectation, a step nor an oracle), catalogue order. They may still be
  // checked by a vector.
  std::vector<std::string> declared_not_asserted;
  std::map<std::string, CoverageTally> by_level;     // "MUST", "SHALL", "implied", ...
  std::map<std::string, CoverageTally> by_severity;  // "must", "should", "may", "info"
  // Filled by `AddRevisionCoverage`; empty otherwise.
  std::vector<RevisionCoverage> by_revision;

  // `Problems` is `unchecked`, plus `stale` when `strict`.
  std::vector<CoverageProblem> Problems(bool strict) const;
};

// `AssertedRequirements` is what scenario `s` asserts through its
// expectations and steps (nested ones included), without oracles, in order
// of appearance.
std::vector<std::string> AssertedRequirements(const Scenario& s);

// `RunsOracles` is true when the transcript oracles run in `s`: it has a
// relay (the recording proxy stands in front of it) and a device role whose
// traffic passes through the proxy.
bool RunsOracles(const Scenario& s);

// `ComputeCatalogueCoverage` applies the rules above; `oracle_requirements`
// are the IDs the oracles cite. Scenario and vector references to IDs the
// catalogue lacks are ignored here (the scenario loader and the vector
// schemas refuse them).
CoverageReport ComputeCatalogueCoverage(const reports::Catalog& catalog,
                                        const ScenarioSet& scenarios,
                                        std::span<const VectorRef> vectors,
                                        std::span<const std::string> oracle_requirements = {});

// `AddRevisionCoverage` fills `report.by_revision` for each of `revisions`
// ("http-00", "sct-04"; every revision of `catalog` when empty), from the
// report's checks and `catalog` (read as its default revision) turned to each
// revision. Errors: kConfigInvalid for a revision the catalogue does not
// know, naming the accepted ones.
Result<void> AddRevisionCoverage(CoverageReport& report, const reports::Catalog& catalog,
                                 std::span<const std::string> revisions = {});

// `RenderCoverageText` is the `tigress-harness coverage` output: one line per
// requirement (ID, level, severity, the checks or the reason), the tallies by
// severity and by level, the revisions side by side when `by_revision` is
// filled, the count of declared-but-not-asserted requirements (each listed
// when `verbose`), then the problems.
std::string RenderCoverageText(const CoverageReport& report, bool verbose);

// `CoverageToJson` is the same as a JSON document (`coverage --json`);
// `by_revision` is an array of {revision, document, applies, checked,
// info_here}, empty when not filled.
nlohmann::json CoverageToJson(const CoverageReport& report);

}  // namespace tigress::harness
