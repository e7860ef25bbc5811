// The interop matrix: computed from the cases' roles, written by every
// writer, and checked by the report.json reader.
#include "reports/matrix.h"

#include <gtest/gtest.h>

#include "reports/merge.h"
#include "reports/writers.h"

namespace tigress::reports {
namespace {

CaseResult Case(std::string id, std::string relay, std::string init, std::string recip, Verdict v) {
  CaseResult c;
  c.case_id = std::move(id);
  c.relay = std::move(relay);
  c.initiator = std::move(init);
  c.recipient = std::move(recip);
  Assertion a;
  a.requirement_id = "INIT-08";
  a.verdict = v;
  a.message = "checked";
  c.assertions.push_back(a);
  FinalizeCase(c, Profile::kStrict);
  return c;
}

RunResult TwoByTwo() {
  RunResult run;
  run.run_id = "m";
  run.cases = {Case("interop/a@ref+ref+ref", "ref", "ref", "ref", Verdict::kPass),
               Case("interop/a@ref+ref+acme", "ref", "ref", "acme", Verdict::kFail),
               Case("interop/b@ref+ref+acme", "ref", "ref", "acme", Verdict::kPass),
               Case("interop/a@ref+acme+ref", "ref", "acme", "ref", Verdict::kInfo),
               Case("interop/a@acme+acme+acme", "acme", "acme", "acme", Verdict::kError),
               Case("relay/create", "ref", "", "", Verdict::kFail)};
  run.cases[1].case_dir = "cases/interop_a@ref+ref+acme";
  run.cases[1].assertions[0].evidence.attachments.push_back(
      {"reproduction bundle", "repro-interop_a@ref+ref+acme.tar.gz", "application/gzip"});
  return run;
}

TEST(MatrixTest, CountsEachCombinationAndListsTheCasesThatDidNotPass) {
  const RunResult run = TwoByTwo();
  const InteropMatrix m = ComputeMatrix(run);
  EXPECT_EQ(m.relays, (std::vector<std::string>{"acme", "ref"}));
  EXPECT_EQ(m.initiators, (std::vector<std::string>{"acme", "ref"}));
  EXPECT_EQ(m.recipients, (std::vector<std::string>{"acme", "ref"}));
  ASSERT_EQ(m.cells.size(), 4U);  // the relay-only case is not part of it
  const MatrixCell* c = m.Find("ref", "ref", "acme");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->total, 2);
  EXPECT_EQ(c->passed, 1);
  EXPECT_EQ(c->unexpected, 1);
  EXPECT_EQ(c->worst, Verdict::kFail);
  EXPECT_EQ(c->not_passed, (std::vector<std::size_t>{1}));
  EXPECT_EQ(m.Find("ref", "acme", "ref")->passed, 1);  // INFO counts as passed
  EXPECT_EQ(m.Find("acme", "acme", "acme")->worst, Verdict::kError);
  EXPECT_EQ(m.Find("acme", "ref", "ref"), nullptr);
}

TEST(MatrixTest, CountsUnsupportedCasesApartFromTheCasesRun) {
  RunResult run;
  run.cases = {Case("interop/a@r+r+x", "r", "r", "x", Verdict::kPass),
               Case("interop/restart@r+r+x", "r", "r", "x", Verdict::kUnsupported),
               Case("interop/restart@r+x+x", "r", "x", "x", Verdict::kUnsupported)};
  const InteropMatrix m = ComputeMatrix(run);
  const MatrixCell* mixed = m.Find("r", "r", "x");
  ASSERT_NE(mixed, nullptr);
  EXPECT_EQ(mixed->total, 1);
  EXPECT_EQ(mixed->passed, 1);
  EXPECT_EQ(mixed->unsupported, 1);
  EXPECT_EQ(mixed->worst, Verdict::kPass);
  EXPECT_TRUE(mixed->not_passed.empty());
  EXPECT_EQ(mixed->cases.size(), 2U);
  const MatrixCell* none = m.Find("r", "x", "x");
  ASSERT_NE(none, nullptr);
  EXPECT_EQ(none->total, 0);
  EXPECT_EQ(none->worst, Verdict::kUnsupported);
  EXPECT_NE(RenderMatrixMarkdown(m).find("1/1 PASS (1 unsupported)"), std::string::npos)
      << RenderMatrixMarkdown(m);
  nlohmann::ordered_json bad = MatrixJson(m, run);
  EXPECT_TRUE(CheckMatrixJson(bad));
  bad["cells"][0]["unsupported"] = -1;
  EXPECT_FALSE(CheckMatrixJson(bad));
}

TEST(MatrixTest, ReportJsonCarriesTheMatrixAndTheReaderChecksItsShape) {
  const RunResult run = TwoByTwo();
  const std::string text = RenderReportJson(run, nullptr);
  auto doc = nlohmann::ordered_json::parse(text);
  ASSERT_TRUE(doc.contains("matrix"));
  const auto& cells = doc["matrix"]["cells"];
  ASSERT_EQ(cells.size(), 4U);
  bool found = false;
  for (const auto& cell : cells) {
    if (cell["relay"] == "ref" && cell["initiator"] == "ref" && cell["recipient"] == "acme") {
      found = true;
      EXPECT_EQ(cell["verdict"], "FAIL");
      EXPECT_EQ(cell["total"], 2);
      EXPECT_EQ(cell["not_passed"], nlohmann::ordered_json::array({"interop/a@ref+ref+acme"}));
    }
  }
  EXPECT_TRUE(found);
  ASSERT_TRUE(ParseReportJson(text));

  auto broken = doc;
  broken["matrix"]["cells"][0]["passed"] = 99;
  auto r = ParseReportJson(broken.dump());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().Message().find("matrix.cells[0].passed"), std::string::npos);
  broken = doc;
  broken["matrix"]["cells"][1]["verdict"] = "GREAT";
  EXPECT_FALSE(ParseReportJson(broken.dump()));
  broken = doc;
  broken.erase("matrix");  // reports written before the matrix existed still read
  EXPECT_TRUE(ParseReportJson(broken.dump()));
}

TEST(MatrixTest, SummaryShowsAGridPerRelay) {
  const std::string md = RenderSummaryMarkdown(TwoByTwo(), nullptr);
  const auto at = md.find("## Interop matrix");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(md.find("Relay **ref**", at), std::string::npos);
  EXPECT_NE(md.find("Relay **acme**", at), std::string::npos);
  EXPECT_NE(md.find("| initiator \\ recipient | acme | ref |", at), std::string::npos);
  EXPECT_NE(md.find("| ref | 1/2 FAIL | 1/1 PASS |", at), std::string::npos);
  EXPECT_NE(md.find("| acme | 0/1 ERROR | n/a |", at), std::string::npos);
}

TEST(MatrixTest, SummaryOmitsTheMatrixWhenNoCaseHadBothDeviceRoles) {
  RunResult run;
  run.run_id = "r";
  run.cases = {Case("relay/create", "ref", "", "", Verdict::kPass)};
  EXPECT_EQ(RenderSummaryMarkdown(run, nullptr).find("Interop matrix"), std::string::npos);
}

TEST(MatrixTest, HtmlCellsLinkToTheEvidenceOfCasesThatDidNotPass) {
  const std::string html = RenderHtml(TwoByTwo(), nullptr);
  const auto at = html.find("<section id=\"matrix\">");
  ASSERT_NE(at, std::string::npos);
  const auto end = html.find("</section>", at);
  const std::string section = html.substr(at, end - at);
  EXPECT_NE(section.find("<h3>Relay ref</h3>"), std::string::npos);
  EXPECT_NE(section.find("<a href=\"#case-1\">interop/a@ref+ref+acme</a> FAIL"), std::string::npos);
  EXPECT_NE(section.find("<a href=\"cases/interop_a%40ref%2Bref%2Bacme/"
                         "repro-interop_a%40ref%2Bref%2Bacme.tar.gz\">bundle</a>"),
            std::string::npos);
  EXPECT_NE(section.find("<a href=\"#case-4\">interop/a@acme+acme+acme</a> ERROR<"),
            std::string::npos);                              // no bundle attached: no bundle link
  EXPECT_EQ(section.find("#case-0\""), std::string::npos);   // passed: no link
  EXPECT_NE(html.find("id=\"case-1\""), std::string::npos);  // the anchor exists
}

TEST(MatrixTest, MergedJobsOneRelayEachMakeOneMatrixWithBothRelays) {
  RunResult a;
  a.run_id = "job-a";
  a.cases = {Case("interop/a@ref+ref+ref", "ref", "ref", "ref", Verdict::kPass)};
  RunResult b;
  b.run_id = "job-b";
  b.cases = {Case("interop/a@acme+ref+ref", "acme", "ref", "ref", Verdict::kFail)};
  // Through report.json and back, as tigress-report merge does.
  auto ra = ParseReportJson(RenderReportJson(a, nullptr));
  auto rb = ParseReportJson(RenderReportJson(b, nullptr));
  ASSERT_TRUE(ra && rb);
  auto merged = MergeRuns({*ra, *rb}, "ci");
  ASSERT_TRUE(merged) << merged.error().Message();
  const InteropMatrix m = ComputeMatrix(*merged);
  EXPECT_EQ(m.relays, (std::vector<std::string>{"acme", "ref"}));
  ASSERT_NE(m.Find("acme", "ref", "ref"), nullptr);
  EXPECT_EQ(m.Find("acme", "ref", "ref")->worst, Verdict::kFail);
  EXPECT_EQ(m.Find("ref", "ref", "ref")->worst, Verdict::kPass);
}

RunResult MixedRevisions() {
  RunResult run = TwoByTwo();
  run.implementations = {
      {"ref", "1", {"relay", "initiator", "recipient"}, {}, "r.yaml", "http-00"},
      {"acme", "2", {"relay", "initiator", "recipient"}, {}, "a.yaml", "sct-04"}};
  return run;
}

TEST(MatrixTest, ACellWhoseImplementationsDeclareDifferentRevisionsIsAMismatch) {
  const InteropMatrix m = ComputeMatrix(MixedRevisions());
  EXPECT_EQ(m.Find("ref", "ref", "ref")->mismatch, "");
  EXPECT_EQ(m.Find("acme", "acme", "acme")->mismatch, "");
  EXPECT_EQ(m.Find("ref", "ref", "acme")->mismatch,
            "revision mismatch (http-00 initiator, sct-04 recipient, http-00 relay)");
  EXPECT_EQ(m.Find("ref", "acme", "ref")->mismatch,
            "revision mismatch (sct-04 initiator, http-00 recipient, http-00 relay)");
  RunResult devices = MixedRevisions();
  devices.cases.push_back(Case("interop/c@acme+ref+ref", "acme", "ref", "ref", Verdict::kPass));
  EXPECT_EQ(ComputeMatrix(devices).Find("acme", "ref", "ref")->mismatch,
            "revision mismatch (http-00 device, sct-04 relay)");
  // Implementations the run does not list are not judged.
  EXPECT_EQ(ComputeMatrix(TwoByTwo()).Find("ref", "ref", "acme")->mismatch, "");
}

TEST(MatrixTest, WritersShowTheMismatchInsteadOfTheCounts) {
  const RunResult run = MixedRevisions();
  const InteropMatrix m = ComputeMatrix(run);
  const std::string md = RenderMatrixMarkdown(m);
  EXPECT_NE(md.find("| revision mismatch (http-00 initiator, sct-04 recipient, http-00 relay) |"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("1/2 FAIL"), std::string::npos) << md;
  EXPECT_NE(md.find("1/1 PASS"), std::string::npos) << md;  // ref x ref x ref
  const std::string html =
      RenderMatrixHtml(m, run, [](std::size_t i) { return "#case-" + std::to_string(i); });
  EXPECT_NE(html.find(">revision mismatch (http-00 initiator, sct-04 recipient, http-00 relay)<"),
            std::string::npos);
  EXPECT_EQ(html.find("1/2 FAIL"), std::string::npos);
  const nlohmann::ordered_json json = MatrixJson(m, run);
  EXPECT_TRUE(CheckMatrixJson(json));
  bool found = false;
  for (const auto& cell : json["cells"]) {
    if (cell.contains("mismatch")) {
      found = true;
      EXPECT_EQ(cell["mismatch"].get<std::string>().rfind("revision mismatch (", 0), 0u);
    }
  }
  EXPECT_TRUE(found);
  nlohmann::ordered_json bad = json;
  bad["cells"][0]["mismatch"] = 1;
  EXPECT_FALSE(CheckMatrixJson(bad));
}

}  // namespace
}  // namespace tigress::reports
