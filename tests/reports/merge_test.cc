#include "reports/merge.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports/writers.h"
#include "tests/reports/sample_run.h"
#include "tests/support/relay_process.h"
#include "tests/support/scratch_dir.h"

namespace tigress::reports {
namespace {

namespace fs = std::filesystem;
using testing::SampleRun;

RunResult OtherRelayRun() {
  RunResult run = SampleRun();
  run.run_id = "job-b";
  run.started = "2026-11-28T11:59:00Z";
  run.finished = "2026-11-28T12:05:00Z";
  run.implementations = {{"reference", "0.1.0", {"initiator"}, {}, "a.yaml"},
                         {"vendor-x", "2.3", {"relay"}, {}, "x.yaml"}};
  run.cases.resize(2);
  for (CaseResult& c : run.cases) c.relay = "vendor-x";
  return run;
}

TEST(MergeRuns, ConcatenatesCasesAndUnionsImplementations) {
  auto merged = MergeRuns({SampleRun(), OtherRelayRun()}, "ci-42");
  ASSERT_TRUE(merged) << merged.error().Message();
  EXPECT_EQ(merged->run_id, "ci-42");
  EXPECT_EQ(merged->cases.size(), 9u);
  EXPECT_EQ(merged->cases[7].relay, "vendor-x");
  EXPECT_EQ(merged->started, "2026-11-28T11:59:00Z");
  EXPECT_EQ(merged->finished, "2026-11-28T12:05:00Z");
  ASSERT_EQ(merged->implementations.size(), 2u);
  EXPECT_EQ(merged->implementations[1].name, "vendor-x");
  EXPECT_EQ(merged->Summarize().fail, 4);  // 3 + the second run's FAIL case
  EXPECT_NE(merged->command_line.find("job-b"), std::string::npos);
}

TEST(MergeRuns, RefusesMixedProfilesAndEmptyInput) {
  auto mixed = MergeRuns({SampleRun(Profile::kStrict), SampleRun(Profile::kLenient)}, "x");
  ASSERT_FALSE(mixed);
  EXPECT_NE(mixed.error().detail.find("profile"), std::string::npos);
  EXPECT_FALSE(MergeRuns({}, "x"));
}

TEST(RebaseCaseDirs, MakesArtifactPathsRelativeToTheMergedFolder) {
  auto merged = MergeRuns({SampleRun(), OtherRelayRun()}, "ci-42");
  ASSERT_TRUE(merged);
  ASSERT_TRUE(RebaseCaseDirs(*merged, {"/ci/jobs/a", "/ci/jobs/b"}, {7, 2}, "/ci/merged"));
  EXPECT_EQ(merged->cases[0].case_dir, "../jobs/a/cases/relay_6.1_create-basic");
  EXPECT_EQ(merged->cases[8].case_dir, "../jobs/b/cases/relay_8.1_second-recipient");
  EXPECT_TRUE(merged->cases[2].case_dir.empty());  // had none
  EXPECT_FALSE(RebaseCaseDirs(*merged, {"/a"}, {3}, "/m"));
  // A rebased link is still rendered as a link.
  const std::string html = RenderHtml(*merged, nullptr);
  EXPECT_NE(html.find("href=\"../jobs/a/cases/relay_6.1_create-basic/\""), std::string::npos);
}

// ---- the tigress-report command ----

class ReportCliTest : public ::testing::Test {
 protected:
  // Runs tigress-report with `args`; returns its exit code, its stdout and
  // stderr in `log`.
  static int Run(std::vector<std::string> args, std::string* log) {
    args.insert(args.begin(), std::string(TIGRESS_BIN_DIR) + "/tigress-report");
    auto run = test_support::ChildProcess::Run(args, std::chrono::seconds(60));
    if (!run) {
      *log = run.error().Message();
      return -1;
    }
    *log = run->second;
    return run->first;
  }

  test_support::ScratchDir scratch_{"tigress-report-cli"};
  const fs::path root_ = scratch_.path();
};

TEST_F(ReportCliTest, MergesTwoRunsAndExitsWithTheMergedVerdict) {
  ASSERT_TRUE(WriteRunReports(SampleRun(), nullptr, RedactionGuard(), root_ / "a"));
  ASSERT_TRUE(WriteRunReports(OtherRelayRun(), nullptr, RedactionGuard(), root_ / "b"));
  std::string log;
  const int code =
      Run({"--catalogue", std::string(TIGRESS_SOURCE_DIR) + "/vectors/requirements.json", "merge",
           "--run-id", "ci-42", "--out", (root_ / "m").string(), (root_ / "a/report.json").string(),
           (root_ / "b/report.json").string()},
          &log);
  EXPECT_EQ(code, 1) << log;  // the sample runs hold unexpected failures
  std::ifstream in(root_ / "m/report.json");
  std::stringstream text;
  text << in.rdbuf();
  auto merged = ParseReportJson(text.str());
  ASSERT_TRUE(merged) << merged.error().Message();
  EXPECT_EQ(merged->run_id, "ci-42");
  EXPECT_EQ(merged->cases.size(), 9u);
  EXPECT_EQ(merged->cases[0].case_dir, "../a/cases/relay_6.1_create-basic");
  EXPECT_TRUE(fs::exists(root_ / "m/report.html"));
}

TEST_F(ReportCliTest, RendersACleanRunWithExitCodeZero) {
  RunResult run = SampleRun();
  run.cases.resize(1);  // only the passing case
  ASSERT_TRUE(WriteRunReports(run, nullptr, RedactionGuard(), root_ / "a"));
  fs::remove(root_ / "a/junit.xml");
  std::string log;
  EXPECT_EQ(Run({"render", (root_ / "a/report.json").string()}, &log), 0) << log;
  EXPECT_TRUE(fs::exists(root_ / "a/junit.xml"));
}

TEST_F(ReportCliTest, BadInputIsAUsageErrorNamingTheFile) {
  std::ofstream(root_ / "bad.json") << "{\"schema\": \"tigress-harness/report\"}";
  std::string log;
  EXPECT_EQ(Run({"render", (root_ / "bad.json").string()}, &log), 2);
  EXPECT_NE(log.find("bad.json"), std::string::npos) << log;
  EXPECT_NE(log.find("schema_version"), std::string::npos) << log;
  EXPECT_EQ(Run({"frobnicate"}, &log), 2);
}

TEST_F(ReportCliTest, RendersARunWithTheCatalogueOfItsRevision) {
  RunResult run = SampleRun();
  run.spec = "sct-04";
  ASSERT_TRUE(WriteRunReports(run, nullptr, RedactionGuard(), root_ / "a"));
  std::string log;
  Run({"--catalogue", std::string(TIGRESS_SOURCE_DIR) + "/vectors/requirements.json", "render",
       (root_ / "a/report.json").string()},
      &log);
  std::ifstream in(root_ / "a/report.json");
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json doc = nlohmann::json::parse(text.str());
  EXPECT_EQ(doc["run"]["spec"], "sct-04");
  bool seen = false;
  for (const auto& item : doc["coverage"]) {
    if (item["requirement_id"] != "RELAY-43") continue;
    seen = true;
    EXPECT_EQ(item["severity"], "info");  // must under http-00; sct-04 has no such statement
  }
  EXPECT_TRUE(seen);
}

TEST(MergeRuns, RefusesMixedSpecsAndKeepsEveryDiagnosisOnce) {
  RunResult sct = OtherRelayRun();
  sct.spec = "sct-04";
  auto mixed = MergeRuns({SampleRun(), sct}, "x");
  ASSERT_FALSE(mixed);
  EXPECT_NE(mixed.error().detail.find("sct-04"), std::string::npos) << mixed.error().detail;

  RunResult a = SampleRun();
  RunResult b = OtherRelayRun();
  a.spec = b.spec = "sct-04";
  a.diagnosis = {"one", "two"};
  b.diagnosis = {"two", "three"};
  auto merged = MergeRuns({a, b}, "m");
  ASSERT_TRUE(merged) << merged.error().Message();
  EXPECT_EQ(merged->spec, "sct-04");
  EXPECT_EQ(merged->diagnosis, (std::vector<std::string>{"one", "two", "three"}));
}

}  // namespace
}  // namespace tigress::reports
