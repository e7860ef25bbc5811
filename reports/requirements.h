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
//
// The catalogue is written against the default draft revision (http-00, the
// `[HTTP]` tag). `LoadCatalog(path, "sct-04")` (or `Catalog::ForRevision`)
// returns it as another revision reads it: each requirement's `revisions`
// override (severity, level, source, note) applied, and `[HTTP]` section
// references rewritten through that revision's `section_map`. Judge and
// ViolationVerdict then use that revision's severity.
//
//   TIGRESS_ASSIGN_OR_RETURN(Catalog sct, LoadCatalog(path, "sct-04"));
//   sct.Find("RELAY-43")->severity;       // kInfo: sct-04 has no back-to-back SHALL
//   sct.Find("RELAY-43")->revision_note;  // why
//   sct.Find("RELAY-19")->source;         // "[SCT04] §6.2.6"
#pragma once

#include <array>
#include <filesystem>
#include <map>
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

// `ParseSeverityName` is the inverse of `SeverityName`; nullopt for other words.
std::optional<Severity> ParseSeverityName(std::string_view name);

// `IsKnownLevel` is true for the catalogue's level words: the BCP 14 keywords
// ("MUST", "SHALL NOT", "RECOMMENDED", ...) and "implied", "INTERP", "info".
bool IsKnownLevel(std::string_view level);

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

// `RevisionOverride` is how one revision other than the default reads a
// requirement. Each non-empty field replaces the default's: `severity` (e.g.
// info where that revision has no such statement), `level` and `level_text`
// (the keyword as that revision words it), `source` (the references in that
// revision, where the section map is not precise enough), and
// `interpretation_refs` (when set, even to none: the part C readings the
// requirement rests on under that revision, e.g. none where that revision's
// text says what the default's needed an interpretation for). `note` says why.
struct RevisionOverride {
  std::optional<Severity> severity;
  std::string level;
  std::string level_text;
  std::string source;
  std::optional<std::vector<std::string>> interpretation_refs;
  std::string note;
};

// `RevisionEntry` is one draft revision the catalogue can judge against (the
// `revisions` array): `id` is protocol/revision.h's name ("sct-04"), `tag`
// its source tag ("[SCT04]"). `section_map` maps a section of the default
// revision ("§4.1") to this revision's ("§2"), "" when there is no
// counterpart; a section that is not a key maps through its longest listed
// prefix ("§6.1.2" through "§6", "§7.3.1" through "§7.3.1").
struct RevisionEntry {
  std::string id;
  std::string tag;
  std::string document;
  std::string revision;
  bool is_default = false;
  std::map<std::string, std::string> section_map;
};

// `RevisionDifference` is one difference in meaning between the revisions
// (the `differences` array): the sections of each revision (by revision id),
// what differs, the requirements it affects, and the scenarios that check it.
struct RevisionDifference {
  std::string id;  // "REV-01"
  std::map<std::string, std::string> sections;
  std::string statement;
  std::vector<std::string> affects;
  std::vector<std::string> checked_by;
};

// `MapSectionRefs` rewrites the `from.tag` references of `source` into `to`'s
// sections: "[HTTP] §6.1.2" -> "[SCT04] §6.1.2"; a section without a
// counterpart keeps its tag and gets "(no counterpart in <to.id>)":
// "[HTTP] §3.3, §8.1.3" -> "[HTTP] §3.3 (no counterpart in sct-04), [SCT04] §7.1".
// Other tags and RFC references are left alone.
std::string MapSectionRefs(std::string_view source, const RevisionEntry& from,
                           const RevisionEntry& to);

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
  // How the revisions other than the default read it (the entry's `revisions`
  // member), by revision id; see `RevisionOverride`.
  std::map<std::string, RevisionOverride> revisions;
  // Under a revision other than the default: the override's note, saying why
  // the entry differs there; empty when nothing was overridden.
  std::string revision_note;
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
  // IDs, that every C reference exists in `interpretations`, that every
  // revision is one protocol/revision.h knows (with its tag) and exactly one
  // is the default, that overrides name a non-default revision, and that
  // differences affect known requirements. Without a `revisions` array the
  // catalogue knows the default revision only. The parsed catalogue reads as
  // the default revision.
  // Errors: kJsonInvalid for syntax, kConfigInvalid for everything else.
  static Result<Catalog> Parse(std::string_view json_text, std::string_view origin);

  // `ForRevision` is this catalogue as revision `id` reads it (see the file
  // comment); the default revision gives an unchanged copy. Errors:
  // kConfigInvalid naming the accepted revisions when `id` is not one of
  // them, or when this catalogue was already turned to another revision.
  Result<Catalog> ForRevision(std::string_view id) const;

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
  // The revision this catalogue reads as ("http-00").
  const std::string& revision() const { return revision_; }
  const std::vector<RevisionEntry>& revisions() const { return revisions_; }
  const std::vector<RevisionDifference>& differences() const { return differences_; }
  // `FindRevision` is the entry of revision `id`, or nullptr.
  const RevisionEntry* FindRevision(std::string_view id) const;
  // `RevisionNames` is "http-00, sct-04": the accepted revisions, for messages.
  std::string RevisionNames() const;

 private:
  friend struct RevisionParser;  // reads `revisions` and `differences` (catalog_revisions.cc)

  std::string title_;
  int schema_version_ = 0;
  std::vector<Requirement> requirements_;
  std::vector<Interpretation> interpretations_;
  std::vector<Source> sources_;
  std::string revision_;
  std::vector<RevisionEntry> revisions_;
  std::vector<RevisionDifference> differences_;
  std::unordered_map<std::string, std::size_t> by_id_;
  std::unordered_map<std::string, std::size_t> interpretation_by_id_;
};

// `LoadCatalog` reads and parses a catalogue file and turns it to `revision`
// (`Catalog::ForRevision`). Errors: kIoFailure when the file cannot be read,
// else as `Catalog::Parse` (details start with the path) and `ForRevision`.
Result<Catalog> LoadCatalog(const std::filesystem::path& path,
                            std::string_view revision = "http-00");

}  // namespace tigress::reports
