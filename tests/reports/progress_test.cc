#include "reports/progress.h"

#include <sstream>
#include <vector>

#include <gtest/gtest.h>

#include "tests/reports/sample_run.h"

namespace tigress::reports {
namespace {

CaseResult Finished(std::string id, Verdict v, double seconds) {
  CaseResult c;
  c.case_id = std::move(id);
  c.duration_s = seconds;
  c.assertions.push_back(testing::MakeAssertion("RELAY-31", v, "second claim got 200"));
  c.assertions.back().expected = "401";
  c.assertions.back().actual = "200";
  FinalizeCase(c, Profile::kStrict);
  return c;
}

TEST(ProgressFormat, CaseLineShowsCounterVerdictIdAndDuration) {
  EXPECT_EQ(FormatCaseLine(12, 40, Finished("Relay-Create-Basic", Verdict::kPass, 0.4)),
            "[12/40] PASS   Relay-Create-Basic (0.4s)");
  EXPECT_EQ(FormatCaseLine(2, 40, Finished("x", Verdict::kPass, 75)), "[ 2/40] PASS   x (1m15s)");
}

TEST(ProgressFormat, NonPassLineCarriesTheReason) {
  EXPECT_EQ(FormatCaseLine(3, 9, Finished("relay/x", Verdict::kFail, 1.25)),
            "[3/9] FAIL   relay/x (1.2s)  RELAY-31: expected 401, got 200; second claim got 200");
  CaseResult known = Finished("k", Verdict::kFail, 0);
  known.expected_failure = true;
  FinalizeCase(known, Profile::kStrict);
  EXPECT_NE(FormatCaseLine(1, 1, known).find("(expected)"), std::string::npos);
  CaseResult stale = Finished("s", Verdict::kPass, 0);
  stale.expected_failure = true;
  FinalizeCase(stale, Profile::kStrict);
  EXPECT_NE(FormatCaseLine(1, 1, stale).find("stale expectation"), std::string::npos);
  EXPECT_EQ(FormatCaseLine(1, 1, Finished("u", Verdict::kUnsupported, 0)).substr(0, 18),
            "[1/1] UNSUPPORTED ");
}

TEST(ProgressFormat, ALongDescriptionIsCutButExpectedAndActualStayOnTheLine) {
  CaseResult c = Finished("device/x", Verdict::kFail, 0);
  c.assertions[0].requirement_id = "INIT-12";
  c.assertions[0].message =
      "initiator initiator.share: adapter error 1003 " + std::string(200, 'd');
  c.assertions[0].expected = "error 1003";
  c.assertions[0].actual = "success";
  FinalizeCase(c, Profile::kStrict);
  const std::string line = FormatCaseLine(1, 1, c);
  EXPECT_NE(line.find("INIT-12: expected error 1003, got success; initiator initiator.share"),
            std::string::npos)
      << line;
  EXPECT_EQ(line.find(std::string(120, 'd')), std::string::npos) << line;
  EXPECT_NE(line.find("…"), std::string::npos) << line;
}

TEST(ProgressFormat, ALineWithoutExpectedAndActualShowsTheMessage) {
  CaseResult c = Finished("e", Verdict::kError, 0);
  c.assertions[0].expected.clear();
  c.assertions[0].actual.clear();
  c.assertions[0].message = "adapter exited";
  FinalizeCase(c, Profile::kStrict);
  EXPECT_NE(FormatCaseLine(1, 1, c).find("  RELAY-31: adapter exited"), std::string::npos);
}

TEST(ProgressFormat, AKnownFailureThatEndsInErrorIsMarkedUnexpected) {
  CaseResult known = Finished("k", Verdict::kError, 0);
  known.expected_failure = true;
  FinalizeCase(known, Profile::kStandard);
  const std::string line = FormatCaseLine(1, 1, known);
  EXPECT_NE(line.find("(unexpected: a known failure covers FAIL only)"), std::string::npos) << line;
  EXPECT_EQ(line.find("(expected)"), std::string::npos);
}

TEST(ProgressFormat, RootCausesListGroupsWithCountsAndThreeExamples) {
  std::vector<CaseResult> cases;
  for (const char* id : {"a", "b", "c", "d"}) cases.push_back(Finished(id, Verdict::kFail, 0));
  cases.push_back(Finished("p", Verdict::kPass, 0));
  cases.push_back(Finished("t", Verdict::kTimeout, 0));
  cases.back().assertions[0].message = "adapter timeout";
  const std::string text = FormatRootCauses(GroupFailures(cases));
  EXPECT_EQ(text,
            "Root causes (5 failing cases):\n"
            "  4 cases: second claim got 200 [FAIL]\n"
            "      e.g. a, b, c (+1)\n"
            "  1 case: adapter timeout [TIMEOUT]\n"
            "      e.g. t\n");
  EXPECT_EQ(FormatRootCauses({}), "");
}

TEST(ProgressFormat, RootCausesStopAtTenGroupsAndCarryNoEscapes) {
  std::vector<CaseResult> cases;
  for (int i = 0; i < 12; ++i) {
    cases.push_back(Finished("case\x1b[2J" + std::to_string(i), Verdict::kFail, 0));
    cases.back().assertions[0].message = "cause " + std::to_string(i) + "\x1b[31m";
  }
  const std::string text = FormatRootCauses(GroupFailures(cases));
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_NE(text.find("cause 9"), std::string::npos);
  EXPECT_EQ(text.find("cause 10"), std::string::npos);
  EXPECT_NE(text.find("... and 2 more root causes"), std::string::npos);
}

TEST(ProgressPrinter, PrintsTheRootCausesThroughTheGuard) {
  RedactionGuard guard;
  guard.AddSecret(testing::kSecret);
  std::ostringstream out;
  ProgressPrinter p(out, 1, false, &guard);
  std::vector<CaseResult> cases = {Finished("x", Verdict::kFail, 0)};
  cases[0].assertions[0].message = "leaked " + testing::kSecretB64;
  p.PrintRootCauses(cases);
  EXPECT_EQ(out.str().find(testing::kSecretB64), std::string::npos);
  EXPECT_NE(out.str().find("1 case: leaked [REDACTED] [FAIL]"), std::string::npos) << out.str();
  std::ostringstream quiet;
  ProgressPrinter q(quiet, 1, false);
  q.PrintRootCauses(std::vector<CaseResult>{Finished("ok", Verdict::kPass, 0)});
  EXPECT_EQ(quiet.str(), "");
}

TEST(ProgressFormat, CaseLineCannotCarryTerminalEscapes) {
  const std::string line = FormatCaseLine(1, 1, Finished("evil\x1b[2J\nid", Verdict::kFail, 0));
  EXPECT_EQ(line.find('\x1b'), std::string::npos);
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(ProgressFormat, CounterLineLeavesOutZeroCounts) {
  ProgressCounts counts;
  counts.done = 13;
  counts.total = 40;
  counts.running = 2;
  counts.summary.pass = 11;
  counts.summary.fail = 1;
  counts.summary.warn = 1;
  EXPECT_EQ(FormatCounterLine(counts, 12.5), "[13/40] 11 pass 1 fail 1 warn  running 2  12.5s");
}

TEST(ProgressPrinter, WritesOnlyLinesWhenNotATerminal) {
  std::ostringstream out;
  ProgressPrinter p(out, 2, /*live=*/false);
  p.CaseStarted();
  p.CaseFinished(Finished("a", Verdict::kPass, 0.1));
  p.CaseStarted();
  p.CaseFinished(Finished("b", Verdict::kFail, 0.2));
  p.Finish();
  const std::string text = out.str();
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.rfind("[1/2] PASS   a (0.1s)\n[2/2] FAIL   b (0.2s)", 0), 0u) << text;
  EXPECT_NE(text.find("[2/2] 1 pass 1 fail 1 unexpected"), std::string::npos) << text;
  EXPECT_EQ(p.counts().summary.unexpected, 1);
}

TEST(ProgressPrinter, CountsFinishedCasesAsTheReportSummaryDoes) {
  RunResult run;
  run.cases = {Finished("a", Verdict::kPass, 0), Finished("b", Verdict::kFail, 0),
               Finished("c", Verdict::kError, 0)};
  run.cases[1].expected_failure = true;
  FinalizeCase(run.cases[1], Profile::kStrict);
  std::ostringstream out;
  ProgressPrinter p(out, run.cases.size(), /*live=*/false);
  for (const CaseResult& c : run.cases) p.CaseFinished(c);
  const RunSummary live = p.counts().summary;
  const RunSummary report = run.Summarize();
  EXPECT_EQ(live.ToString(), report.ToString());
  EXPECT_EQ(live.ToString(), "1 pass 1 fail 1 error 1 unexpected");
  EXPECT_EQ(live.total, report.total);
  EXPECT_EQ(live.expected_failures, 1);
  EXPECT_EQ(live.expected_failures, report.expected_failures);
  EXPECT_EQ(live.stale, report.stale);
}

TEST(ProgressPrinter, RewritesTheCounterLineInPlaceOnATerminal) {
  std::ostringstream out;
  ProgressPrinter p(out, 1, /*live=*/true);
  p.CaseStarted();
  EXPECT_NE(out.str().find("\r\x1b[2K[0/1]  running 1"), std::string::npos) << out.str();
  p.CaseFinished(Finished("a", Verdict::kPass, 0.1));
  EXPECT_NE(out.str().find("\r\x1b[2K[1/1] PASS   a (0.1s)\n\r\x1b[2K[1/1] 1 pass"),
            std::string::npos);
  p.Finish();
  EXPECT_EQ(out.str().back(), '\n');
}

TEST(ProgressPrinter, AppliesTheRedactionGuard) {
  RedactionGuard guard;
  guard.AddSecret(testing::kSecret);
  std::ostringstream out;
  ProgressPrinter p(out, 1, false, &guard);
  p.CaseFinished(Finished("leak-" + testing::kSecretB64, Verdict::kPass, 0));
  EXPECT_EQ(out.str().find(testing::kSecretB64), std::string::npos);
  EXPECT_NE(out.str().find("leak-[REDACTED]"), std::string::npos);
}

}  // namespace
}  // namespace tigress::reports
