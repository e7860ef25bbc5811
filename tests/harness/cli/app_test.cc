#include "harness/cli/app.h"

#include <cstdlib>
#include <sstream>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tigress/version.h"

namespace tigress::harness {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ExitCodeOf, PassesACommandsOwnCodeThrough) {
  EXPECT_EQ(ExitCodeOf(Result<int>(0)), 0);
  EXPECT_EQ(ExitCodeOf(Result<int>(1)), 1);
  EXPECT_EQ(ExitCodeOf(Result<int>(3)), 3);
}

TEST(ExitCodeOf, MapsEveryErrorToTheUsageCode) {
  EXPECT_EQ(ExitCodeOf(Result<int>(MakeError(Errc::kCommandUsage, "x"))), kExitUsage);
  EXPECT_EQ(ExitCodeOf(Result<int>(MakeError(Errc::kManifestInvalid, "y"))), 2);
}

TEST(FailureText, PrintsTheHarnessOwnRefusalsAsTheirSentence) {
  EXPECT_EQ(FailureText(MakeError(Errc::kCommandUsage, "two manifests are named 'a'")),
            "two manifests are named 'a'");
  EXPECT_EQ(FailureText(MakeError(Errc::kSourceTreeNotFound, "no vector files found in v")),
            "no vector files found in v");
  EXPECT_EQ(FailureText(MakeError(Errc::kCaseNotRunnable)), "the selected case could not be run");
}

TEST(FailureText, PrintsLibraryErrorsWithTheirToken) {
  EXPECT_EQ(FailureText(MakeError(Errc::kManifestInvalid, "a.yaml: cannot open file")),
            "harness.manifest_invalid: a.yaml: cannot open file");
}

// Runs the whole command line in this process: parsing and the commands
// that only read the source tree start no process.
struct CliRun {
  int rc = -1;
  std::string out;
  std::string err;
};

CliRun Cli(std::vector<std::string> args) {
  ::setenv("TIGRESS_SOURCE_DIR", TIGRESS_SOURCE_DIR, 1);
  args.insert(args.begin(), "tigress-harness");
  std::vector<const char*> argv;
  for (const auto& a : args) {
    argv.push_back(a.c_str());
  }
  std::ostringstream out;
  std::ostringstream err;
  CliRun r;
  r.rc = RunCli(static_cast<int>(argv.size()), argv.data(), out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

TEST(RunCli, PrintsTheProjectVersion) {
  const CliRun r = Cli({"--version"});
  EXPECT_EQ(r.rc, 0);
  EXPECT_EQ(r.out, std::string(kVersion) + "\n");
}

TEST(RunCli, PrintsHelpWithEverySubcommandAndTheExitCodes) {
  const CliRun r = Cli({"--help"});
  EXPECT_EQ(r.rc, 0);
  for (const char* sub : {"run", "list", "explain", "vectors", "interop", "repro", "replay",
                          "coverage", "--version", "Exit codes: 0 nothing unexpected"}) {
    EXPECT_THAT(r.out, HasSubstr(sub));
  }
}

TEST(RunCli, RefusesAMissingSubcommandWithTheUsageCode) {
  const CliRun r = Cli({});
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "tigress-harness: A subcommand is required\n");
}

TEST(RunCli, RefusesAMissingRequiredFlagAndShowsTheSubcommandHelp) {
  const CliRun r = Cli({"run"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_THAT(r.err, StartsWith("tigress-harness: --impl is required\n"));
  EXPECT_THAT(r.err, HasSubstr("--shard TEXT"));
}

TEST(RunCli, ExplainsARequirementFromTheCatalogue) {
  const CliRun r = Cli({"explain", "RELAY-31"});
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("RELAY-31 ("));
  EXPECT_THAT(r.out, HasSubstr("Checked by:\n"));
}

TEST(RunCli, RefusesToExplainAnUnknownId) {
  const CliRun r = Cli({"explain", "NOPE-1"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(
      r.err,
      "tigress-harness: 'NOPE-1' is neither a requirement, an interpretation nor a case id\n");
}

TEST(RunCli, RefusesABadShardBeforeRunningAnything) {
  const CliRun r =
      Cli({"run", "--impl", std::string(TIGRESS_SOURCE_DIR) + "/implementations/reference.yaml",
           "--shard", "4/3"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "tigress-harness: --shard must be I/N with 1 <= I <= N, got '4/3'\n");
  EXPECT_EQ(r.out, "");
}

TEST(RunCli, ReportsALibraryErrorWithItsToken) {
  const CliRun r = Cli({"--scenarios", "/nonexistent-tigress-dir", "list"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_THAT(r.err, StartsWith("tigress-harness: harness.scenario_invalid: "));
}

TEST(RunCli, ListsCasesMatchingAFilterGivenAfterTheSubcommand) {
  const CliRun r = Cli({"list", "--filter", "relay/second-recipient-refused"});
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("relay/second-recipient-refused "));
  EXPECT_THAT(r.out, HasSubstr("RELAY-31"));
}

}  // namespace
}  // namespace tigress::harness
