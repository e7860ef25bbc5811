// File: reports/requirements.h
//
// The requirement catalogue that every verdict points to, loaded from
// vectors/requirements.json (schema: vectors/requirements.schema.json).
//
//   TIGRESS_ASSIGN_OR_RETURN(Catalog cat, LoadCatalog("vectors/requirements.json"));
//   const Requirement* r = cat.Find("RELAY-31");   // level "SHALL", severity kMust
//   cat.ViolationVerdict("RELAY-04");              // SHOULD -> Verdict::kWarn
//   Assertion a = cat.Judge("RELAY-31", second_bind_refused,
//                           "second recipient claim refused", "401", "200");
//
// Each entry carries the BCP 14 level as worded in the catalogue and a
// severity class that decides the verdict of a violation: must -> FAIL,
// should -> WARN, may and info -> INFO. Entries whose test rests on an
// interpretation of an ambiguous draft passage (catalogue part C, "C-11")
// carry `interpretation` and the C references; `Judge` copies them into the
// assertion so reports label the verdict and the lenient profile can soften it.
#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocol/result.h"
#include "reports/results.h"

namespace tigress::reports {

// `Severity` is the class of a requirement that maps a violation to a verdict.
enum class Severity { kMust, kShould, kMay, kInfo };

// `SeverityName` is "must", "should", "may" or "info".
std::string_view SeverityName(Severity s);

// `SeverityVerdict` is the verdict of a violation: kMust -> FAIL,
// kShould -> WARN, kMay and kInfo -> INFO.
Verdict SeverityVerdict(Severity s);

// `Role` is the party a requirement is checked on.
enum class Role { kRelay, kInit, kRecip, kAny };

// `RoleName` is "relay", "init", "recip" or "any".
std::string_view RoleName(Role r);

// `NotChecked` is why no case checks a requirement: the catalogue's
// `not_checked` member, kept as data beside the requirement so coverage
// reports can state the reason and `tigress-harness coverage` can tell a
// deliberate gap from a lost case.
struct NotChecked {
  // One of `kNotCheckedCategories`: "not-black-box" (no observable behaviour
  // decides it: UI, user intent, internal storage, composite or informative
  // statements), "out-of-scope" (defined by verticals or provisioning
  // entities, not by the relay or the transport), "needs-feature" (an
  // optional capability the reference implementations do not offer) or
  // "needs-harness" (a harness capability that does not exist yet, e.g. a
  // push receiver).
  std::string category;
  std::string reason;  // one sentence for reports
};

// The `NotChecked::category` words, in report order.
inline constexpr std::array<std::string_view, 4> kNotCheckedCategories = {
    "not-black-box", "out-of-scope", "needs-feature", "needs-harness"};

// `Requirement` is one catalogue entry (part B).
struct Requirement {
  std::string id;          // "RELAY-31"
  std::string level;       // "MUST", "SHALL", "SHOULD NOT", "MAY", "implied", "INTERP", "info", ...
  std::string level_text;  // as worded in the catalogue: "SHALL (exactly one recipient)"
  Severity severity = Severity::kMust;
  std::string source;     // section refs: "[HTTP] §8.1.1, §8.3.3"
  std::string statement;  // the requirement in the catalogue's own words
  std::string test;       // the black-box test the catalogue describes
  Role role = Role::kAny;
  bool interpretation = false;
  std::vector<std::string> interpretation_refs;      // {"C-07"}
  std::vector<std::string> related_interpretations;  // every C-nn the entry mentions
  std::optional<NotChecked> not_checked;             // why no case checks it, if none does
};

// `Interpretation` is one part C entry: an ambiguity and how the harness reads it.
struct Interpretation {
  std::string id;  // "C-11"
  std::string issue;
  std::string interpretation;
  // What breaking the reading means; decides the verdict in the standard profile.
  InterpretationClass klass = InterpretationClass::kInterop;
};

// `Source` is a document that source refs point to ("[HTTP]").
struct Source {
  std::string tag;
  std::string document;
  std::string revision;
};

// `Catalog` is the loaded catalogue; cheap to copy around by const reference.
class Catalog {
 public:
  Catalog() = default;

  // `Parse` reads the catalogue from JSON text. `origin` (a file name) prefixes
  // every error detail. Checks: JSON syntax (with line:column), required
  // fields and types, known level/severity/role words, ID patterns, unique
  // IDs, and that every C reference exists in `interpretations`.
  // Errors: kJsonInvalid for syntax, kConfigInvalid for everything else.
  static Result<Catalog> Parse(std::string_view json_text, std::string_view origin);

  // `Find` returns the requirement with `id`, or nullptr when unknown.
  const Requirement* Find(std::string_view id) const;

  // `FindInterpretation` returns the part C entry ("C-07"), or nullptr.
  const Interpretation* FindInterpretation(std::string_view id) const;

  // `ViolationVerdict` is `SeverityVerdict` of the requirement's severity;
  // kError for an unknown ID (an assertion naming an unknown requirement is a
  // harness bug).
  Verdict ViolationVerdict(std::string_view id) const;

  // `Judge` builds an assertion for `id`: PASS when `satisfied`, else the
  // violation verdict; interpretation flags, refs, class and the basis
  // (`BasisOf`) copied from the entry. For an unknown ID the verdict is ERROR
  // and the message says so. The profile rule is applied later by
  // `FinalizeCase`.
  Assertion Judge(std::string_view id, bool satisfied, std::string message,
                  std::string expected = {}, std::string actual = {}) const;

  // `AddInterpretations` marks `a` as resting also on the part C readings
  // `refs` (a scenario's or an expectation's): merges the refs, sets
  // `interpretation`, narrows `interpretation_class` to the weakest and
  // rewrites the basis as an interpretation. Unknown refs are ignored (the
  // scenario loader rejects them).
  void AddInterpretations(Assertion& a, const std::vector<std::string>& refs) const;

  // `BasisOf` is the basis of a check of requirement `id` resting on the
  // readings `refs`: "interpretation" (source: the refs, text: the first
  // reading, with its class) when there are refs; "rfc" when the
  // requirement's source cites an RFC and no draft section; "draft"
  // otherwise.
  Basis BasisOf(std::string_view id, const std::vector<std::string>& refs) const;

  const std::string& title() const { return title_; }
  int schema_version() const { return schema_version_; }
  const std::vector<Requirement>& requirements() const { return requirements_; }
  const std::vector<Interpretation>& interpretations() const { return interpretations_; }
  const std::vector<Source>& sources() const { return sources_; }

 private:
  std::string title_;
  int schema_version_ = 0;
  std::vector<Requirement> requirements_;
  std::vector<Interpretation> interpretations_;
  std::vector<Source> sources_;
  std::unordered_map<std::string, std::size_t> by_id_;
  std::unordered_map<std::string, std::size_t> interpretation_by_id_;
};

// `LoadCatalog` reads and parses a catalogue file. Errors: kIoFailure when the
// file cannot be read, else as `Catalog::Parse` (details start with the path).
Result<Catalog> LoadCatalog(const std::filesystem::path& path);

}  // namespace tigress::reports
