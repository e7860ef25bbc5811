// File: reports/results.h
//
// The results model of a tigress-harness run: plain structs, no I/O. The
// harness fills them in while it runs cases; the writers of reports/writers.h
// turn a finished `RunResult` into report.json, junit.xml, summary.md and
// report.html.
//
//   CaseResult c;
//   c.case_id = "relay/6.1/create-basic";
//   c.assertions.push_back({.requirement_id = "RELAY-01", .verdict = Verdict::kPass,
//                           .message = "create returned 200 with urlLink"});
//   FinalizeCase(c, Profile::kLenient);   // profile rule, aggregate verdict, stale flag
//   run.cases.push_back(std::move(c));
//   return run.ExitCode();                // 0 unless something unexpected happened
//
// Verdict rules (also in docs/reports.md):
// - An assertion's verdict comes from the requirement's severity when it is
//   violated (MUST/SHALL -> FAIL, SHOULD -> WARN, MAY/info -> INFO; see
//   reports/requirements.h), PASS when satisfied, UNSUPPORTED when the
//   implementation declared the feature absent, ERROR when the harness or an
//   adapter broke, TIMEOUT when a bounded wait ran out.
// - Profiles decide what an assertion that rests on an interpretation of the
//   draft (catalogue part C, `interpretation == true`) and FAILs becomes. Each
//   interpretation has a class (`InterpretationClass`): `kStandard` (the
//   default) keeps an interop FAIL, turns a robustness FAIL into WARN and a
//   hardening FAIL into INFO; `kStrict` keeps every FAIL; `kLenient` turns
//   every interpretation FAIL into WARN (hardening: INFO). A changed verdict
//   is marked `profile_downgrade`. No other verdict is changed by a profile.
// - A case's verdict is the worst verdict of its assertions in the order
//   INFO < PASS < UNSUPPORTED < WARN < FAIL < TIMEOUT < ERROR, so ERROR and
//   TIMEOUT dominate. A case without any assertion is ERROR (the harness did
//   not check anything, which is a harness bug). Harness breakage is recorded
//   as an assertion with verdict ERROR/TIMEOUT (requirement_id empty or the
//   requirement being checked) plus `CaseResult::error_detail`.
// - A case that stopped early (a step later steps depend on failed) lists the
//   requirements it did not get to in `not_evaluated`; a stop never reads as
//   PASS: `FinalizeCase` raises a case that stopped with nothing worse than
//   PASS/INFO to WARN.
// - A case is *unexpected* when its verdict is FAIL/ERROR/TIMEOUT and no
//   expectation covers it, or when it is a stale expectation: marked as a known
//   failure but it did not fail (PASS/INFO/WARN), so the expectations file
//   cannot rot. A known failure covers FAIL only: a known failure that ends
//   ERROR or TIMEOUT is unexpected, and so is one that names requirement IDs
//   (`expected_failure_requirements`) and FAILs another requirement.
//   UNSUPPORTED never makes a known failure stale.
// - `RunResult::ExitCode()` is 0 when no case is unexpected, 1 otherwise, and
//   1 when every case of a non-empty run is UNSUPPORTED (nothing was tested);
//   2 for usage/configuration errors is the CLI's business, not the model's.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tigress::reports {

// `Verdict` is the outcome of one assertion or one case.
enum class Verdict {
  kPass,         // the requirement is met
  kFail,         // a MUST/SHALL requirement is violated
  kWarn,         // a SHOULD requirement is violated (or a profile softened a FAIL)
  kInfo,         // recorded, not judged (MAY, informative requirements)
  kUnsupported,  // the implementation declared the optional feature absent
  kError,        // the harness or an adapter broke (crash, garbage, protocol error)
  kTimeout,      // a bounded wait ran out
};

// `VerdictName` is the upper-case name used in every report: "PASS", "FAIL",
// "WARN", "INFO", "UNSUPPORTED", "ERROR", "TIMEOUT".
std::string_view VerdictName(Verdict v);

// `ParseVerdict` accepts a `VerdictName` in any letter case; nullopt otherwise.
std::optional<Verdict> ParseVerdict(std::string_view name);

// `VerdictRank` orders verdicts by badness: INFO 0, PASS 1, UNSUPPORTED 2,
// WARN 3, FAIL 4, TIMEOUT 5, ERROR 6.
int VerdictRank(Verdict v);

// `Worst` returns the worse of two verdicts by `VerdictRank`.
Verdict Worst(Verdict a, Verdict b);

// `Worst` of a list; `if_empty` when the list is empty.
Verdict Worst(std::span<const Verdict> verdicts, Verdict if_empty = Verdict::kError);

// `IsFailing` is true for FAIL, ERROR and TIMEOUT: the verdicts that fail a run
// unless an expectation covers them.
bool IsFailing(Verdict v);

// `Profile` selects how interpretation-based failures are reported.
enum class Profile {
  kStandard,  // by interpretation class: interop FAIL, robustness WARN, hardening INFO (default)
  kStrict,    // every interpretation FAIL stays FAIL
  kLenient,   // every interpretation FAIL becomes WARN (hardening: INFO)
};

// `ProfileName` is "standard", "strict" or "lenient".
std::string_view ProfileName(Profile p);
// `ParseProfile` accepts a `ProfileName` (any case); nullopt otherwise.
std::optional<Profile> ParseProfile(std::string_view name);

// `InterpretationClass` says what breaking a catalogue part C reading means
// (the `class` of each interpretation in vectors/requirements.json).
enum class InterpretationClass {
  kNone,        // the assertion rests on no interpretation
  kInterop,     // two conforming implementations cannot interoperate without it
  kRobustness,  // how input or situations the draft does not define are answered
  kHardening,   // good practice beyond the draft
};

// `InterpretationClassName` is "", "interop", "robustness" or "hardening".
std::string_view InterpretationClassName(InterpretationClass c);
// `ParseInterpretationClass` accepts a non-empty `InterpretationClassName`.
std::optional<InterpretationClass> ParseInterpretationClass(std::string_view name);
// `WeakerClass` is the class with the milder verdict (hardening < robustness
// < interop; kNone counts as the strongest): a check that rests on several
// readings is only as strong as the weakest of them.
InterpretationClass WeakerClass(InterpretationClass a, InterpretationClass b);

// `ApplyProfile` is the profile rule for one raw verdict: a FAIL that rests
// on an interpretation of class `klass` becomes what the profile says
// (kNone with `interpretation` counts as interop); everything else unchanged.
Verdict ApplyProfile(Verdict v, bool interpretation, InterpretationClass klass, Profile profile);

// `Attachment` is a file kept in the case directory.
struct Attachment {
  std::string name;        // what it is, e.g. "relay stderr", "HTTP transcript"
  std::string path;        // relative to the case dir, e.g. "transcript.har"
  std::string media_type;  // optional, e.g. "application/json"
};

// `HttpExcerpt` is one HTTP exchange shown as evidence. Every field is already
// redacted by whoever recorded it (Secrets, plaintext, claims via Redact);
// writers additionally pass all text through the run's `RedactionGuard`.
struct HttpExcerpt {
  std::string vantage;       // where it was seen, e.g. "initiator->relay"
  std::string request_line;  // "POST /v1/m HTTP/1.1"
  std::vector<std::pair<std::string, std::string>> request_headers;
  std::string request_body;  // excerpt, possibly truncated
  int status = 0;            // 0 when no response arrived
  std::vector<std::pair<std::string, std::string>> response_headers;
  std::string response_body;  // excerpt, possibly truncated
};

// `Evidence` backs an assertion: free-form facts, HTTP excerpts and files.
struct Evidence {
  std::vector<std::pair<std::string, std::string>> fields;  // ordered key/value
  std::vector<HttpExcerpt> http;
  std::vector<Attachment> attachments;

  bool empty() const { return fields.empty() && http.empty() && attachments.empty(); }
};

// `Basis` is what a verdict rests on, for reports: the draft's text, an HTTP
// (or encoding) RFC rule, or an interpretation of an ambiguous passage.
struct Basis {
  std::string kind;    // "draft", "rfc" or "interpretation"; empty for harness errors
  std::string source;  // "[HTTP] §6.1.6", "RFC 9110 §9.1", "C-46"
  std::string level;   // the BCP 14 word as worded: "SHALL", "SHOULD", "implied", ...
  std::string text;    // the requirement statement, or the interpretation (one line)
};

// `Assertion` is one checked requirement in one case.
struct Assertion {
  std::string requirement_id;        // catalogue ID ("RELAY-31"); empty for pure harness errors
  Verdict verdict = Verdict::kPass;  // after the profile rule (see FinalizeCase)
  std::string message;               // one line: what was checked / what went wrong
  std::string expected;              // e.g. "401"
  std::string actual;                // e.g. "200"
  bool interpretation = false;       // rests on a catalogue part C interpretation
  std::vector<std::string> interpretation_refs;  // e.g. {"C-11"}
  // The weakest class of `interpretation_refs` (kNone without refs).
  InterpretationClass interpretation_class = InterpretationClass::kNone;
  Basis basis;
  Evidence evidence;
  // Set by `FinalizeCase` when the profile turned a FAIL into WARN or INFO.
  bool profile_downgrade = false;
};

// `NotEvaluated` is a requirement a case meant to check but did not, because
// a step it depended on failed (or a positive control did).
struct NotEvaluated {
  std::string requirement_id;
  std::string reason;  // "CreateMailbox refused (step 'mailbox A' at file:12)"
};

// `CaseResult` is the outcome of one scenario case (one cell of the matrix).
struct CaseResult {
  std::string case_id;        // stable ID, e.g. "relay/6.1/create-basic"
  std::string title;          // human title
  std::string scenario_file;  // path relative to the repo, e.g. scenarios/relay/create.yaml
  std::string area;           // grouping for JUnit suites; see `Area()`
  std::vector<std::string> requirement_ids;  // requirements the case covers
  std::vector<std::string> keywords;
  std::string relay;  // implementation names; empty when the role is not played
  std::string initiator;
  std::string recipient;
  Verdict verdict = Verdict::kError;  // aggregate, set by `FinalizeCase`
  std::vector<Assertion> assertions;
  double duration_s = 0.0;
  std::uint64_t seed = 0;
  std::string rerun_command;      // one command that reruns exactly this case
  bool expected_failure = false;  // an expectations file marks it as a known failure
  std::string expected_failure_reason;
  bool stale_expectation = false;  // known failure that did not fail; set by `FinalizeCase`
  // Requirement IDs the known failure is about; empty: any FAIL is expected.
  std::vector<std::string> expected_failure_requirements;
  std::string case_dir;      // relative to the run dir, e.g. cases/relay_6.1_create-basic
  std::string error_detail;  // harness-side detail for ERROR/TIMEOUT (crash, exit code...)
  // True when the case stopped before its last step (a step others depend on
  // failed); the requirements it did not get to are in `not_evaluated`.
  bool stopped_early = false;
  std::vector<NotEvaluated> not_evaluated;
  // What went wrong first, for grouping failures by root cause: the first
  // failing step's operation, status and the start of the error body or the
  // adapter's error ("CreateMailbox refused: 400 Invalid or missing
  // Device-Claim header"). Empty for a case that did not fail.
  std::string failure_signature;

  // `Area` is `area` when set, else the part of `case_id` before the first
  // '/', else the first keyword, else "default".
  std::string Area() const;

  // `Unexpected` is true when the verdict is FAIL/ERROR/TIMEOUT without an
  // expectation covering it, or the case is a stale expectation.
  bool Unexpected() const;
};

// `AggregateVerdict` is the worst assertion verdict, ERROR when there are none.
Verdict AggregateVerdict(std::span<const Assertion> assertions);

// `FinalizeCase` applies `profile` to every assertion (setting
// `profile_downgrade`), sets `verdict` to `AggregateVerdict` (at least WARN
// when `stopped_early`) and sets `stale_expectation` (expected_failure and
// the verdict is PASS, INFO or WARN, or, with
// `expected_failure_requirements`, none of them FAILs).
// Call it exactly once per case, after the last assertion was added.
void FinalizeCase(CaseResult& c, Profile profile);

// `ImplementationInfo` describes one implementation taking part in a run.
struct ImplementationInfo {
  std::string name;                   // from the manifest, e.g. "reference"
  std::string version;                // as reported by the adapter's hello
  std::vector<std::string> roles;     // "relay", "initiator", "recipient"
  std::vector<std::string> features;  // optional features it declared
  std::string manifest_path;
  std::string spec = "http-00";       // the draft revision its manifest declares (protocol/revision.h)
};

// `RunSummary` counts cases by verdict and by expectation status: the one
// tally behind the reports' summaries and the console's live counter line.
//
//   RunSummary s;
//   for (const CaseResult& c : finished) s.Add(c);
//   s.ToString();  // "11 pass 1 fail 1 warn 1 unexpected"
struct RunSummary {
  int total = 0;
  int pass = 0;
  int fail = 0;
  int warn = 0;
  int info = 0;
  int unsupported = 0;
  int error = 0;
  int timeout = 0;
  int unexpected = 0;         // cases for which `Unexpected()` holds
  int expected_failures = 0;  // failing cases covered by an expectation
  int stale = 0;              // stale expectations
  int interpretation = 0;     // cases with at least one non-PASS interpretation assertion

  // `Add` counts one finished case (after `FinalizeCase`).
  void Add(const CaseResult& c);

  // `Count` is the number of cases with verdict `v`.
  int Count(Verdict v) const;

  // `ToString` lists the non-zero verdict counts and then the unexpected
  // count, each as "<n> <name>" in lower case, separated by spaces, in the
  // order pass, fail, warn, info, unsupported, error, timeout, unexpected;
  // "" when every one is zero.
  std::string ToString() const;
};

// Version of the report.json schema written for a `RunResult`.
inline constexpr int kReportSchemaVersion = 2;

// `RunResult` is everything a run produced.
struct RunResult {
  int schema_version = kReportSchemaVersion;
  std::string run_id;           // also the folder name under reports/
  std::string started;          // RFC 3339 UTC
  std::string finished;         // RFC 3339 UTC
  std::string harness_version;  // tigress-harness version
  Profile profile = Profile::kStandard;
  std::uint64_t seed = 0;
  std::string command_line;  // how the harness was invoked (already redacted)
  std::vector<ImplementationInfo> implementations;
  // The draft revision the run judged against ("http-00", "sct-04"): the
  // revision of the catalogue's sections and of the header names on the wire.
  std::string spec = "http-00";
  // What the harness concluded before the cases, to be shown before anything
  // else (e.g. "relay 'acme' appears to implement sct-04 (...); rerun with
  // --spec sct-04"). Empty when nothing needs saying.
  std::vector<std::string> diagnosis;
  std::vector<CaseResult> cases;
  // Cases an expectations file disabled: (case id, reason); not run.
  std::vector<std::pair<std::string, std::string>> disabled;

  // `Summarize` counts the cases.
  RunSummary Summarize() const;

  // `ExitCode` is 0 when no case is `Unexpected()`, 1 otherwise; also 1
  // when every case is UNSUPPORTED (`NothingTested`).
  int ExitCode() const;

  // `NothingTested` is true when the run has cases and all are UNSUPPORTED.
  bool NothingTested() const;
};

}  // namespace tigress::reports
