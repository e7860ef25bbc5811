// File: harness/run/step_verdicts.h
//
// How the outcome of a step shapes a case's verdict: pure rules over steps
// and assertions, no I/O, so they are tested without processes. A case's
// lifecycle (harness/run/case_run.cc) applies them while the case runs:
//
//   negative.resize(assertions.size(), ExpectsRefusal(step));
//   if (control_failed) {
//     for (auto& req : FailControl(assertions, negative, first)) NoteNotEvaluated(...);
//   }
//   for (auto& req : RequirementsChecked(rest_of_steps)) NoteNotEvaluated(...);
//   ExcuseRelayRefusals(assertions);   // after the oracles ran
//
// The rules (docs/scenario-format.md, docs/reports.md):
// - A positive control that fails is a FAIL of its own requirement (a WARN
//   or INFO there is raised to FAIL), and the refusals checked before it
//   prove nothing: they are taken out and listed as not evaluated.
// - A case that stops lists the requirements of the steps it did not run as
//   not evaluated, unless an assertion already cites them.
// - A relay refusal charged to the relay (evidence field blame =
//   relay-refusal) is excused, as INFO, when an oracle found the device's
//   request malformed.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/scenario.h"
#include "reports/results.h"

namespace tigress::harness {

// `ExpectsRefusal` is true for a step that checks a refusal: an adapter error
// expectation, or a status expectation whose codes are all 0 or >= 400.
bool ExpectsRefusal(const Step& st);

// `MethodFeature` is the optional feature (docs/adapter-contract.md) a device
// method belongs to; empty for the baseline methods every adapter implements.
std::string_view MethodFeature(std::string_view method);

// `RelayOperationRequirement` is the requirement a relay operation's success
// stands for (operations as `reports::OperationName` names them:
// CreateMailbox -> RELAY-01, ...); empty for a request that names none.
std::string RelayOperationRequirement(std::string_view operation);

// `FailControl` applies a failed positive control whose assertions are
// `assertions[first..]`: their WARN/INFO become FAIL and their messages say
// the refusals are not evaluated; the assertions before `first` that
// `refusal` marks are removed (from both vectors, which stay parallel). It
// returns the requirement IDs of the removed assertions, in order.
std::vector<std::string> FailControl(std::vector<reports::Assertion>& assertions,
                                     std::vector<bool>& refusal, std::size_t first);

// `RequirementsChecked` is every requirement `steps` name (a step's `req`,
// its expectations', those of parallel groups' steps), in order, repeats
// included.
std::vector<std::string> RequirementsChecked(std::span<const Step> steps);

// `NoteNotEvaluated` adds `req` with `why` to `not_evaluated` unless it is
// empty, already listed, or cited by one of `assertions`.
void NoteNotEvaluated(std::vector<reports::NotEvaluated>& not_evaluated,
                      const std::vector<reports::Assertion>& assertions, const std::string& req,
                      const std::string& why);

// `ExcuseRelayRefusals` turns every FAIL marked as a relay refusal into INFO
// when one of `assertions` FAILs a check of the device's own requests
// (INIT-02, INIT-04, INIT-09, RECIP-01, RECIP-10, REPLAY-11).
void ExcuseRelayRefusals(std::vector<reports::Assertion>& assertions);

}  // namespace tigress::harness
