// junit.xml and report.html read by real consumers: Python's junitparser (what
// CI test-report plugins are built on) and html5lib (the WHATWG parsing
// algorithm browsers implement), run as subprocesses on the rendered files.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reports/requirements.h"
#include "reports/writers.h"
#include "tests/reports/sample_run.h"
#include "tests/support/relay_process.h"
#include "tests/support/scratch_dir.h"

namespace tigress::reports {
namespace {

namespace fs = std::filesystem;

class ReportConsumers : public ::testing::Test {
 protected:
  fs::path Write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

  // Runs consume_reports.py `mode` `file` `counts...`; returns its exit code
  // (128+signal when a signal ended it, -1 when it could not be started).
  static int Consume(const std::string& mode, const fs::path& file,
                     const std::vector<std::string>& counts = {}) {
    std::vector<std::string> argv = {
        TIGRESS_PYTHON3, std::string(TIGRESS_SOURCE_DIR) + "/tests/reports/consume_reports.py",
        mode, file.string()};
    argv.insert(argv.end(), counts.begin(), counts.end());
    auto run = test_support::ChildProcess::Run(argv, std::chrono::seconds(60));
    if (!run) {
      ADD_FAILURE() << run.error().Message();
      return -1;
    }
    if (run->first != 0) {
      std::cerr << run->second << "\n";  // what the consumer complained about
    }
    return run->first;
  }

  static const Catalog& TheCatalogue() {
    static const Catalog cat =
        LoadCatalog(std::string(TIGRESS_SOURCE_DIR) + "/vectors/requirements.json").value();
    return cat;
  }

  test_support::ScratchDir scratch_{"tigress-consumers"};
  const fs::path dir_ = scratch_.path();
};

struct JunitCounts {
  int tests = 0;
  int failures = 0;
  int errors = 0;
  int skipped = 0;
};

// What a JUnit consumer should count, derived from the cases independently
// of the writer: stale known failures fail, covered failures (known failures
// that FAIL as the expectation says) and UNSUPPORTED are skipped, WARN and
// INFO pass.
JunitCounts Expected(const RunResult& run) {
  JunitCounts n;
  for (const CaseResult& c : run.cases) {
    ++n.tests;
    const bool failing = c.verdict == Verdict::kFail || c.verdict == Verdict::kError ||
                         c.verdict == Verdict::kTimeout;
    if (c.stale_expectation) {
      ++n.failures;
    } else if ((c.expected_failure && failing && !c.Unexpected()) ||
               c.verdict == Verdict::kUnsupported) {
      ++n.skipped;
    } else if (c.verdict == Verdict::kFail) {
      ++n.failures;
    } else if (failing) {
      ++n.errors;
    }
  }
  return n;
}

std::vector<std::string> CountArgs(const JunitCounts& n) {
  return {std::to_string(n.tests), std::to_string(n.failures), std::to_string(n.errors),
          std::to_string(n.skipped)};
}

TEST_F(ReportConsumers, JunitparserCountsEveryCaseAsTheVerdictsSay) {
  const RunResult run = testing::SampleRun();
  const JunitCounts n = Expected(run);
  ASSERT_GT(n.failures, 0);
  ASSERT_GT(n.errors, 0);
  ASSERT_GT(n.skipped, 0);
  const fs::path p = Write("junit.xml", RenderJunitXml(run));
  EXPECT_EQ(Consume("junit", p, CountArgs(n)), 0);
}

TEST_F(ReportConsumers, JunitparserCountsAKnownFailureThatEndsInErrorAsAnError) {
  RunResult run = testing::SampleRun(Profile::kStandard);
  CaseResult& known = run.cases[5];
  known.assertions.push_back(testing::MakeAssertion("", Verdict::kError, "adapter crashed"));
  FinalizeCase(known, run.profile);
  const JunitCounts n = Expected(run);
  const fs::path p = Write("junit.xml", RenderJunitXml(run));
  EXPECT_EQ(Consume("junit", p, CountArgs(n)), 0);
}

TEST_F(ReportConsumers, JunitparserCatchesAWrongCountAndBrokenXml) {
  const RunResult run = testing::SampleRun();
  JunitCounts wrong = Expected(run);
  ++wrong.failures;
  const fs::path good = Write("junit.xml", RenderJunitXml(run));
  EXPECT_EQ(Consume("junit", good, CountArgs(wrong)), 1);
  const fs::path broken = Write("broken.xml", "<testsuites><testsuite name=\"a\"><testcase");
  EXPECT_NE(Consume("junit", broken, {"0", "0", "0", "0"}), 0);
}

TEST_F(ReportConsumers, Html5libParsesTheReportWithoutASingleError) {
  for (Profile profile : {Profile::kStandard, Profile::kStrict, Profile::kLenient}) {
    const fs::path p =
        Write("report.html", RenderHtml(testing::SampleRun(profile), &TheCatalogue()));
    EXPECT_EQ(Consume("html", p), 0) << ProfileName(profile);
  }
}

TEST_F(ReportConsumers, Html5libRejectsMalformedOrExternalisedPages) {
  const fs::path bad = Write("bad.html", "<!DOCTYPE html><title>x</title><p><b>x</p></b>");
  EXPECT_EQ(Consume("html", bad), 1);
  const fs::path external = Write(
      "ext.html", "<!DOCTYPE html><title>x</title><script src=\"https://cdn/x.js\"></script>");
  EXPECT_EQ(Consume("html", external), 1);
}

}  // namespace
}  // namespace tigress::reports
