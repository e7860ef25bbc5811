// File: harness/cli/run_command.h
//
// `run` and `interop` (registered through command.h). `interop` is `run`
// restricted to scenarios/interop/ with every combination of the manifests
// (the --matrix assignment), in parallel by default; both end with the
// interop matrix when they ran the matrix.
//
// `BuildRunOptions` is the part both share and tests call directly: it turns
// the parsed flags into RunOptions, loading the manifests and the
// expectations file.
#pragma once

#include <string>

#include "harness/cli/options.h"
#include "harness/cli/paths.h"
#include "harness/run/run_options.h"
#include "protocol/result.h"

namespace tigress::harness {

// `BuildRunOptions` fails with the manifest's or the expectations file's
// error, or with kCommandUsage for two manifests with one name or a bad
// --shard. Without --seed the seed is random.
Result<RunOptions> BuildRunOptions(const RunFlags& flags, const SourcePaths& paths,
                                   const std::string& command_line);

// `AddReferenceForMissingRoles` lets the reference implementation play what
// no manifest of `o` provides (a relay, the devices, or both) when a case of
// `set` that `o` selects needs it: it appends <source_root>/implementations/
// reference.yaml (reference-sct04.yaml when the first manifest speaks
// sct-04), keeping only the missing role, and returns the line that says so
// ("tigress-harness: no --impl manifest provides a relay; the reference relay
// (<path>) plays it"); "" when nothing is missing. Fails with kCommandUsage
// (exit 2, before any case) when the file cannot be found, naming
// `command_line` with the --impl to add, or when a manifest already has the
// reference's name.
Result<std::string> AddReferenceForMissingRoles(RunOptions& o, const ScenarioSet& set,
                                                const std::filesystem::path& source_root,
                                                const std::string& command_line);

}  // namespace tigress::harness
