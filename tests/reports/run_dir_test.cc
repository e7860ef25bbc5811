#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/reports/writers_fixture.h"
#include "tests/support/relay_process.h"
#include "tests/support/scratch_dir.h"

namespace tigress::reports {
namespace {

using testing::SampleRun;

// ---- writing a run directory ----

class RunDirTest : public ::testing::Test {
 protected:
  test_support::ScratchDir scratch_{"tigress-reports-test"};
  // Not created yet: the writers make it.
  const std::filesystem::path root_ = scratch_.path() / "reports";
};

TEST_F(RunDirTest, WritesTheFourReportsIntoTheRunDirectory) {
  const RunResult run = SampleRun();
  auto dir = RunDirectory(root_, run.run_id);
  ASSERT_TRUE(dir) << dir.error().Message();
  RedactionGuard guard;
  auto written = WriteRunReports(run, &TheCatalogue(), guard, *dir);
  ASSERT_TRUE(written) << written.error().Message();
  for (const char* name : {"report.json", "junit.xml", "summary.md", "report.html"}) {
    const auto path = *written / name;
    ASSERT_TRUE(std::filesystem::exists(path)) << path;
    EXPECT_GT(std::filesystem::file_size(path), 100u) << path;
    EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));
  }
  std::ifstream in(*written / "report.json");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(ParseReportJson(text.str()));
}

TEST_F(RunDirTest, ReportJsonValidatesAgainstItsPublishedSchema) {
  const RunResult run = SampleRun(Profile::kStandard);
  auto written = WriteRunReports(run, &TheCatalogue(), RedactionGuard(), root_ / "run");
  ASSERT_TRUE(written) << written.error().Message();
  const std::string source = TIGRESS_SOURCE_DIR;
  auto validated = test_support::ChildProcess::Run(
      {TIGRESS_PYTHON3, source + "/tests/reports/validate_json.py",
       source + "/reports/report.schema.json", (*written / "report.json").string()},
      std::chrono::seconds(60));
  ASSERT_TRUE(validated) << validated.error().Message();
  if (validated->first == 77) GTEST_SKIP() << validated->second;  // no jsonschema module
  EXPECT_EQ(validated->first, 0) << validated->second;
}

TEST_F(RunDirTest, RejectsRunIdsThatEscapeTheRoot) {
  for (const char* id : {"", ".", "..", "../x", "a/b", "a\\b", "a\nb"}) {
    EXPECT_FALSE(RunDirectory(root_, id)) << id;
  }
  EXPECT_TRUE(RunDirectory(root_, "20261128T120000Z-3f2a"));
}

TEST_F(RunDirTest, ReportsAnUnwritableDirectory) {
  std::filesystem::create_directories(root_);
  std::ofstream(root_ / "file") << "x";
  auto written = WriteRunReports(SampleRun(), nullptr, RedactionGuard(), root_ / "file" / "run");
  ASSERT_FALSE(written);
  EXPECT_TRUE(written.error().Is(Errc::kIoFailure));
}

}  // namespace
}  // namespace tigress::reports
