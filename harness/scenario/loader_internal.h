// File: harness/scenario/loader_internal.h
//
// The parts of the scenario loader (scenario.h's LoadScenario*) and what
// they share; not for use outside harness/scenario/.
//
//   scenario_loader.cc     files, directories, top-level keys, roles, and the
//                          checks every part applies (catalogue IDs,
//                          interpretation refs, variables used before a save)
//   step_loader.cc         one function per step kind, `save`, and the keys
//                          that shape a step's verdict
//   expectation_loader.cc  one expectation: its subject and its operator
//
// Every error names file:line through `LoadContext::doc` and keeps the
// wording docs/scenario-format.md and the tests rely on.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "harness/config/yaml_util.h"
#include "harness/scenario/scenario.h"
#include "protocol/result.h"

namespace tigress::harness::internal {

// `LoadContext` is what every part of the loader reads: the document (for
// file:line), the catalogue, and the scenario whose top-level keys are read
// (steps look at its roles).
struct LoadContext {
  const YamlDoc& doc;
  const KnownRequirement& known;
  const Scenario& scenario;
};

// `DefinedVars` are the variable roots a template may use at a point of the
// scenario: the builtin roots plus what earlier steps saved.
using DefinedVars = std::set<std::string>;

// `BuiltinRoots` are the roots defined before any step (relay, case).
DefinedVars BuiltinRoots();

// `IsVariableName` is true for a name `save:` or `if_accepted:` may define
// ([A-Za-z_][A-Za-z0-9_]*).
bool IsVariableName(const std::string& name);

// `IsReservedVariable` is true for a root no step may define: the builtin
// roots and the parallel group's `i` and `uuid`.
bool IsReservedVariable(const std::string& name);

// `ParseDeviceRole` is the device role (initiator or recipient) named
// `name`; nullopt for the relay and for anything else.
std::optional<Role> ParseDeviceRole(std::string_view name);

// `CheckReq` refuses a requirement ID the catalogue does not know.
Result<void> CheckReq(const LoadContext& cx, const YAML::Node& node, const std::string& id);

// `CheckInterpretationRefs` requires every ref to look like C-11.
Result<void> CheckInterpretationRefs(const LoadContext& cx, const YAML::Node& node,
                                     const std::vector<std::string>& refs);

// `CheckVars` requires every `${...}` in `value` (recursively) to be a
// generator or to start with a defined root; kVariableUndefined otherwise.
Result<void> CheckVars(const LoadContext& cx, const YAML::Node& node, const nlohmann::json& value,
                       const DefinedVars& defined);

// `LoadSteps` reads a list of steps in order; each `save:` adds to `defined`
// for the steps after it (step_loader.cc).
Result<std::vector<Step>> LoadSteps(const LoadContext& cx, const YAML::Node& list,
                                    DefinedVars& defined, bool in_parallel);

// `LoadExpectation` reads one item of a step's `expect:` list for a step of
// `kind` (expectation_loader.cc).
Result<Expectation> LoadExpectation(const LoadContext& cx, const YAML::Node& node, Step::Kind kind,
                                    const DefinedVars& defined);

}  // namespace tigress::harness::internal
