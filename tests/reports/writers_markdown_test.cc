#include <sstream>

#include "reports/escape.h"
#include "tests/reports/writers_fixture.h"

namespace tigress::reports {
namespace {

using testing::kHostile;
using testing::SampleRun;

// ---- summary.md ----

TEST(SummaryMarkdown, ListsNonPassCasesWithRequirementsReasonsAndRerun) {
  const std::string md = RenderSummaryMarkdown(SampleRun(), &TheCatalogue());
  EXPECT_NE(md.find("**Result: FAILED**"), std::string::npos);
  EXPECT_NE(md.find("## Cases that did not pass (6)"), std::string::npos);
  EXPECT_NE(md.find("| RELAY-31 |"), std::string::npos);
  EXPECT_NE(md.find("expected 401, got 200"), std::string::npos);
  EXPECT_NE(md.find("(stale expectation)"), std::string::npos);
  EXPECT_NE(md.find("(interpretation C-11)"), std::string::npos);
  EXPECT_NE(md.find("`tigress-harness run --test 'relay/8.1/second-recipient' \\| tee x`"),
            std::string::npos);
  EXPECT_EQ(md.find("<script>"), std::string::npos);
}

// Unescaped '|' in a Markdown table row.
int Pipes(const std::string& line) {
  int pipes = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++pipes;
  }
  return pipes;
}

TEST(SummaryMarkdown, HostileTextDoesNotAddTableColumns) {
  RunResult run = SampleRun();
  run.cases[3].not_evaluated[0].reason += " " + kHostile;
  run.disabled[0].second += kHostile;
  const std::string md = RenderSummaryMarkdown(run, &TheCatalogue());
  // Every row of every table has as many cells as the table's header.
  std::istringstream lines(md);
  std::string line;
  int header_pipes = 0;
  int hostile_rows = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("|", 0) != 0) {
      header_pipes = 0;
      continue;
    }
    if (header_pipes == 0) {
      header_pipes = Pipes(line);
      continue;
    }
    EXPECT_EQ(Pipes(line), header_pipes) << line;
    if (line.find("alert") != std::string::npos) ++hostile_rows;
  }
  // The case table, the not-evaluated table, the coverage table (why RELAY-40
  // was not checked) and the disabled table.
  EXPECT_GE(hostile_rows, 4);
}

TEST(SummaryMarkdown, OpensWithTheRootCausesRightAfterTheResult) {
  RunResult run = SampleRun();
  const CaseResult fail = run.cases[1];
  for (int i = 0; i < 4; ++i) {
    run.cases.push_back(fail);
    run.cases.back().case_id = "relay/8.1/second-recipient-" + std::to_string(i);
  }
  const std::string md = RenderSummaryMarkdown(run, &TheCatalogue());
  const std::size_t causes = md.find("## Root causes");
  ASSERT_NE(causes, std::string::npos);
  EXPECT_LT(md.find("**Result: FAILED**"), causes);
  EXPECT_LT(causes, md.find("- Profile:"));
  EXPECT_LT(causes, md.find("| Total |"));
  // The five alike cases are one group, listed first with three examples.
  EXPECT_NE(md.find("| 5 | FAIL | ReadSecureContent answered, 200 | "
                    "`relay/8.1/second-recipient`, `relay/8.1/second-recipient-0`, "
                    "`relay/8.1/second-recipient-1` (+2) |"),
            std::string::npos)
      << md;
}

TEST(SummaryMarkdown, ListsNotEvaluatedRequirementsDisabledCasesAndTheProfileRule) {
  const std::string md = RenderSummaryMarkdown(SampleRun(), &TheCatalogue());
  EXPECT_NE(md.find("## Requirements not evaluated (1)"), std::string::npos);
  EXPECT_NE(md.find("| interop/flow/full-share | RELAY-40 | the recipient never read the share"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| RELAY-40 | "), std::string::npos);
  EXPECT_NE(md.find("not evaluated: the recipient never read the share"), std::string::npos);
  EXPECT_NE(md.find("## Disabled cases (1)"), std::string::npos);
  EXPECT_NE(md.find("- Profile: strict (every interpretation-based FAIL stays FAIL)"),
            std::string::npos);
  // A known failure naming REPLAY-02 that FAILs REPLAY-02 is expected.
  EXPECT_NE(md.find("| FAIL (expected) | replay/5.1/duplicate-create<br>"), std::string::npos);
}

TEST(SummaryMarkdown, SaysWhenNothingWasTested) {
  RunResult run = SampleRun();
  run.cases = {run.cases[4]};  // the UNSUPPORTED one
  ASSERT_TRUE(run.NothingTested());
  const std::string md = RenderSummaryMarkdown(run, nullptr);
  EXPECT_NE(md.find("**Result: FAILED** (exit code 1; 0 unexpected; nothing was tested"),
            std::string::npos)
      << md;
}

TEST(SummaryMarkdown, CapsTheCaseTableAndListsUnexpectedCasesFirst) {
  RunResult run = SampleRun();
  const CaseResult known = run.cases[5];  // expected failure
  const CaseResult fail = run.cases[1];   // unexpected
  run.cases.clear();
  for (int i = 0; i < 150; ++i) run.cases.push_back(known);
  run.cases.push_back(fail);
  const std::string md = RenderSummaryMarkdown(run, nullptr);
  EXPECT_NE(md.find("… and 51 more; see report.html."), std::string::npos);
  EXPECT_NE(md.find("relay/8.1/second-recipient"), std::string::npos);  // not cut off
  EXPECT_LT(md.size(), 64u * 1024u);
}

TEST(SummaryMarkdown, NamesTheSpecAndOpensWithTheDiagnosis) {
  const std::string plain = RenderSummaryMarkdown(SampleRun(), &TheCatalogue());
  EXPECT_NE(plain.find("- Spec: draft-vinokurov-tigress-http-00 (http-00)\n"), std::string::npos);
  EXPECT_EQ(plain.find("Diagnosis"), std::string::npos);

  RunResult run = SampleRun();
  run.spec = "sct-04";
  run.diagnosis = {"relay 'reference' appears to implement http-00; rerun with --spec http-00",
                   "second | line <b>"};
  run.implementations.push_back({"vendor-a", "1.0", {"initiator"}, {}, "a.yaml", "http-00"});
  const std::string md = RenderSummaryMarkdown(run, &TheCatalogue());
  // The diagnosis is the first thing after the title, as a blockquote.
  const std::string title = "# tigress-harness run " + MarkdownInline(run.run_id) + "\n\n";
  ASSERT_EQ(md.rfind(title, 0), 0u) << md.substr(0, 200);
  EXPECT_EQ(md.find("> **Diagnosis**\n>\n> relay 'reference' appears to implement http-00"),
            title.size())
      << md.substr(0, 300);
  EXPECT_NE(md.find("> second \\| line &lt;b&gt;\n"), std::string::npos) << md.substr(0, 400);
  EXPECT_LT(md.find("Diagnosis"), md.find("**Result:"));
  EXPECT_NE(md.find("- Spec: draft-secure-credential-transfer-04 (sct-04)\n"), std::string::npos);
  // An implementation declaring another revision says so.
  EXPECT_NE(md.find("- Implementation: vendor-a 1.0 (initiator), spec http-00\n"),
            std::string::npos)
      << md;
}

}  // namespace
}  // namespace tigress::reports
