// File: harness/cli/run_command.h
//
// `run` and `interop` (registered through command.h). `interop` is `run`
// restricted to scenarios/interop/ with every combination of the manifests
// (the --matrix assignment), in parallel by default, and ends with the
// interop matrix.
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

}  // namespace tigress::harness
