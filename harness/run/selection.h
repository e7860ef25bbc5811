// File: harness/run/selection.h
//
// Which cases a run runs and how one is rerun: selection by filters, skips,
// keywords, repeat and shard; the implementations playing each role (one
// choice or the whole matrix); per-case seeds; the shell command that reruns
// a case. Pure functions of the options and the scenarios.
//
//   std::vector<CaseSpec> cases = SelectCases(scenarios, opt);
//   Result<std::vector<CaseSpec>> assigned = AssignImplementations(std::move(cases), opt);
#pragma once

#include <cstdint>
#include <ctime>
#include <map>
#include <string_view>
#include <string>
#include <vector>

#include "harness/run/run_options.h"
#include "harness/scenario/scenario.h"
#include "protocol/result.h"

namespace tigress::harness {

// `SelectCases` applies filters, skips, keywords, repeat and sharding (a
// stable hash of the scenario id, so shards do not depend on the case order).
std::vector<CaseSpec> SelectCases(const ScenarioSet& set, const RunOptions& opt);

// `CaseSeed` derives a case's seed from the run seed, the scenario id and the
// repetition, so `--filter ID --seed S` replays the same values.
std::uint64_t CaseSeed(std::uint64_t run_seed, const std::string& scenario_id, int repetition);

// `AssignImplementations` fills the role fields of every case: with
// `opt.matrix` one case per distinct combination of the manifests providing
// the roles the scenario uses (ids get "@relay+initiator+recipient"), else the
// --relay/--initiator/--recipient choice (default: the first manifest with
// the role; the recipient defaults to the initiator's). Errors:
// kConfigInvalid for a name that matches no manifest or lacks the role.
Result<std::vector<CaseSpec>> AssignImplementations(std::vector<CaseSpec> cases,
                                                    const RunOptions& opt);

// `CaseRevision` is the draft revision case `c` speaks and is judged by: its
// relay's manifest `spec` (after --spec overrode every manifest), else its
// devices'; the default revision when no role is assigned.
Revision CaseRevision(const CaseSpec& c);

// `RevisionMismatch` is "" when every implementation of `c` speaks one
// revision, else why they cannot interoperate, devices first: "revision
// mismatch (http-00 device, sct-04 relay)", or with both devices named when
// they differ ("sct-04 initiator, http-00 recipient, http-00 relay").
std::string RevisionMismatch(const CaseSpec& c);

// `CaseTimings` is how long each case took in an earlier run (case id ->
// seconds), kept beside the runs (<report-dir>/case-timings.json).
using CaseTimings = std::map<std::string, double>;

// `ExpectedSeconds` is how long case `c` is expected to take: its time in
// `timings` when known, else an estimate from the scenario (its waits, a
// share of a second per step, what every case costs to start).
double ExpectedSeconds(const CaseSpec& c, const CaseTimings& timings);

// `LongestFirst` is the order to start `cases` in (indexes into it): the
// longest expected first, ties in selection order, so the long cases do not
// start last and stretch the run's wall time.
std::vector<std::size_t> LongestFirst(const std::vector<CaseSpec>& cases,
                                      const CaseTimings& timings);

// `DefaultJobs` is the -j a run gets when none is given: enough workers that
// the run's expected total is spread so its wall time nears its longest case
// (cases mostly wait on timers and sockets, so a worker is not a core), at
// most 4 per core and 16, at least 2.
int DefaultJobs(const std::vector<CaseSpec>& cases, const CaseTimings& timings, unsigned cores);

// `ParseCaseTimings` reads case-timings.json ({"case id": seconds, ...});
// anything unreadable yields no timings (the estimate is used).
CaseTimings ParseCaseTimings(std::string_view json_text);

// `CaseTimingsJson` renders timings for case-timings.json.
std::string CaseTimingsJson(const CaseTimings& timings);

// `RerunCommand` is the one shell command that reruns exactly `c`.
std::string RerunCommand(const RunOptions& opt, const CaseSpec& c);

// `ShellQuote` quotes one argument for sh.
std::string ShellQuote(const std::string& arg);

// `DefaultRunId` names a run that was given no --run-id: the UTC time `now`
// ("20260102-030405") and four hex digits of a hash of the seed and the
// process id, so two runs started in the same second differ.
std::string DefaultRunId(std::uint64_t seed, long pid, std::time_t now);

}  // namespace tigress::harness
