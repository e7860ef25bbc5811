// File: harness/run/diagnosis.h
//
// Which draft revision an implementation appears to speak, told before a
// wall of failures has to be read. Before the cases, one create per revision
// goes to each relay of the run (each with that revision's claim header, sent
// literally); while the cases run, the claim header names the devices send
// are watched. When an implementation answers only another revision than the
// one the run judges against, a diagnosis line says so and how to rerun:
//
//   relay 'acme' appears to implement sct-04 (it refuses Mailbox-Device-Claim:
//   400 {"error": "missing Device-Claim"}); rerun with --spec sct-04
//
// The run goes on either way; the lines head the terminal output,
// summary.md and report.html (RunResult::diagnosis).
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/run/run_options.h"
#include "protocol/revision.h"
#include "reports/results.h"

namespace tigress::harness {

// One probe create: the revision whose claim header it carried, and the
// answer (status 0: none; `body` as received, shortened by the caller).
struct ProbeOutcome {
  Revision revision;
  int status = 0;
  std::string body;
};

// `DiagnoseRelay` is the line for relay `name` probed with `outcomes` when
// the run judges against `tested`: nullopt when the tested revision's create
// succeeded (2xx) or no probe got an answer; "appears to implement X" when
// only other revisions' creates succeeded; "refuses a create with the claim
// header of every revision" when all were answered and refused.
std::optional<std::string> DiagnoseRelay(const std::string& name, Revision tested,
                                         const std::vector<ProbeOutcome>& outcomes);

// `DiagnoseDevice` is the line for device implementation(s) `names` whose
// requests carried the claim/attestation header names `spoken` (har::
// SpokenRevisions) in a case judged against `tested`: nullopt when the
// tested revision's names were among them or none were seen.
std::optional<std::string> DiagnoseDevice(const std::string& names, Revision tested,
                                          const std::vector<std::pair<Revision, std::string>>& spoken);

// `Diagnosis` collects the run's lines once each, from every case thread;
// `on_new` (may be empty) sees each new line as it is added.
class Diagnosis {
 public:
  // `Add` keeps `line` unless it is already kept; true when it was new.
  bool Add(const std::string& line);
  std::vector<std::string> Lines() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

// `RevisionProbeScenario` is the scenario the relay probe runs (YAML): one
// create per revision, each with that revision's claim header sent
// literally; the steps are in `AllRevisions()` order.
std::string RevisionProbeScenario();

// `ProbeOutcomes` reads the probe case's answers from its result: the
// status and response body of each step, in `AllRevisions()` order; empty
// when the case did not get that far (the relay did not start).
std::vector<ProbeOutcome> ProbeOutcomes(const reports::CaseResult& probe);

}  // namespace tigress::harness
