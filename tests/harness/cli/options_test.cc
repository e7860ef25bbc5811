#include "harness/cli/options.h"

#include <algorithm>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tigress::harness {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Parses `args` (without the program name) on a fresh sub-app.
void Parse(CLI::App& app, std::vector<std::string> args) {
  std::reverse(args.begin(), args.end());  // CLI11 takes them last-first
  app.parse(args);
}

std::set<std::string> OptionNames(const CLI::App& app) {
  std::set<std::string> names;
  for (const CLI::Option* o : app.get_options()) {
    names.insert(o->get_name());
  }
  return names;
}

void AddCaseRunOptions(CLI::App& app, RunFlags& f, OptionStyle style) {
  AddImplOption(app, f);
  AddSelectionOptions(app, f, style);
  AddScheduleOptions(app, f, style);
  AddProfileOption(app, f, style);
  AddReportOptions(app, f.report, style);
  AddExpectationsOption(app, f, style);
  AddTimeoutOptions(app, f.timeouts, style);
}

TEST(SharedOptions, FillRunFlagsFromTheCommandLine) {
  CLI::App app;
  RunFlags f;
  AddCaseRunOptions(app, f, OptionStyle::kRun);
  Parse(app, {"--impl",
              "a.yaml",
              "--impl",
              "b.yaml",
              "--filter",
              "relay/*",
              "-j",
              "4",
              "--seed",
              "7",
              "--repeat",
              "2",
              "--profile",
              "strict",
              "--report-dir",
              "out",
              "--run-id",
              "r1",
              "--expectations",
              "e.yaml",
              "--call-timeout-ms",
              "5",
              "--http-timeout-ms",
              "6",
              "--start-timeout-ms",
              "8"});
  EXPECT_EQ(f.impls, (std::vector<std::string>{"a.yaml", "b.yaml"}));
  EXPECT_EQ(f.filters, std::vector<std::string>{"relay/*"});
  EXPECT_EQ(f.jobs, 4);
  EXPECT_EQ(f.seed, 7U);
  EXPECT_EQ(f.repeat, 2);
  EXPECT_EQ(f.profile, "strict");
  EXPECT_EQ(f.report.report_dir, "out");
  EXPECT_EQ(f.report.run_id, "r1");
  EXPECT_EQ(f.expectations, "e.yaml");
  EXPECT_EQ(f.timeouts.call_ms, 5);
  EXPECT_EQ(f.timeouts.http_ms, 6);
  EXPECT_EQ(f.timeouts.start_ms, 8);
}

TEST(SharedOptions, KeepTheDocumentedDefaultsWhenAbsent) {
  CLI::App app;
  RunFlags f;
  AddCaseRunOptions(app, f, OptionStyle::kInterop);
  Parse(app, {"--impl", "a.yaml"});
  EXPECT_EQ(f.jobs, 0) << "0: the runner chooses (DefaultJobs)";
  EXPECT_FALSE(f.seed.has_value());
  EXPECT_EQ(f.repeat, 1);
  EXPECT_EQ(f.profile, "standard");
  EXPECT_EQ(f.report.report_dir, "reports");
  EXPECT_EQ(f.report.run_id, "");
  EXPECT_EQ(f.timeouts.call_ms, 15000);
  EXPECT_EQ(f.timeouts.http_ms, 10000);
  EXPECT_EQ(f.timeouts.start_ms, 10000);
}

TEST(SharedOptions, RefuseValuesOutsideTheirChecks) {
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--impl", "a", "-j", "65"},
        std::vector<std::string>{"--impl", "a", "--repeat", "0"},
        std::vector<std::string>{"--impl", "a", "--profile", "loose"},
        std::vector<std::string>{"--filter", "x"}}) {
    CLI::App app;
    RunFlags f;
    AddCaseRunOptions(app, f, OptionStyle::kRun);
    EXPECT_THROW(Parse(app, bad), CLI::ParseError) << bad[bad.size() - 2];
  }
}

TEST(SharedOptions, GiveRunAndInteropTheSameFlagsWithDifferentHelp) {
  CLI::App run;
  CLI::App interop;
  RunFlags a;
  RunFlags b;
  AddCaseRunOptions(run, a, OptionStyle::kRun);
  AddCaseRunOptions(interop, b, OptionStyle::kInterop);
  EXPECT_EQ(OptionNames(run), OptionNames(interop));
  EXPECT_THAT(run.help(), HasSubstr("(default 15000)"));
  EXPECT_THAT(interop.help(), HasSubstr("see `run --help`"));
  EXPECT_THAT(interop.help(), Not(HasSubstr("(default 15000)")));
}

TEST(SharedOptions, GiveReplayOnlyTheExchangeTimeout) {
  CLI::App app;
  Timeouts t;
  AddTimeoutOptions(app, t, OptionStyle::kReplay);
  EXPECT_EQ(OptionNames(app), (std::set<std::string>{"--help", "--http-timeout-ms"}));
  Parse(app, {"--http-timeout-ms", "250"});
  EXPECT_EQ(t.http_ms, 250);
}

TEST(SharedOptions, NameTheRerunDirectoryForRepro) {
  CLI::App app;
  ReportLocation r;
  AddReportOptions(app, r, OptionStyle::kRepro);
  EXPECT_THAT(app.help(), HasSubstr("Where the rerun's run directory is created"));
}

TEST(ApplyTimeouts, ConvertsMillisecondsIntoEveryTimeout) {
  struct Target {
    std::chrono::milliseconds call_timeout{0};
    std::chrono::milliseconds http_timeout{0};
    std::chrono::milliseconds start_timeout{0};
  } o;
  ApplyTimeouts(Timeouts{1, 2, 3}, o);
  EXPECT_EQ(o.call_timeout.count(), 1);
  EXPECT_EQ(o.http_timeout.count(), 2);
  EXPECT_EQ(o.start_timeout.count(), 3);
}

TEST(SplitComma, SplitsEveryValueAndDropsEmptyParts) {
  EXPECT_EQ(SplitComma({"a,b", "", "c,,d,", ",e"}),
            (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_TRUE(SplitComma({}).empty());
}

TEST(ParseShard, ReadsAOneBasedIndexAndACount) {
  auto s = ParseShard("2/5");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->index, 1);
  EXPECT_EQ(s->count, 5);
  ASSERT_TRUE(ParseShard("1/1"));
}

TEST(ParseShard, RefusesAnythingButIOverNWithIWithinN) {
  for (const char* bad : {"0/3", "4/3", "1/0", "3", "a/b", "1/2x", "/2", "1/", "-1/2", ""}) {
    auto s = ParseShard(bad);
    ASSERT_FALSE(s) << bad;
    EXPECT_TRUE(s.error().Is(Errc::kCommandUsage));
    EXPECT_EQ(s.error().detail,
              std::string("--shard must be I/N with 1 <= I <= N, got '") + bad + "'");
  }
}

TEST(JoinArgs, QuotesOnlyWhatTheShellWouldSplit) {
  const char* argv[] = {"tigress-harness", "run", "--filter", "relay/a b"};
  EXPECT_EQ(JoinArgs(4, argv), "tigress-harness run --filter 'relay/a b'");
}

}  // namespace
}  // namespace tigress::harness
