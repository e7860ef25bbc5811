#include "tests/reports/writers_fixture.h"

namespace tigress::reports {
namespace {

using testing::SampleRun;

// ---- report.html ----

TEST(Html, IsSelfContainedAndEscapesEverything) {
  const std::string html = RenderHtml(SampleRun(), &TheCatalogue());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // Our own single script; the hostile one is escaped.
  std::size_t scripts = 0;
  for (std::size_t p = html.find("<script"); p != std::string::npos;
       p = html.find("<script", p + 1)) {
    ++scripts;
  }
  EXPECT_EQ(scripts, 1u);
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(html.find('\x1b'), std::string::npos);
  // No external resources.
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  // A hostile attachment path cannot become a javascript: link.
  EXPECT_EQ(html.find("href=\"javascript:"), std::string::npos);
  EXPECT_NE(html.find("href=\"cases/relay_8.1_second-recipient/javascript%3Aalert%281%29\""),
            std::string::npos);
  EXPECT_NE(html.find("href=\"cases/relay_8.1_second-recipient/transcript.har\""),
            std::string::npos);
}

TEST(Html, LabelsInterpretationsStaleExpectationsAndLinksCoverage) {
  const std::string html = RenderHtml(SampleRun(Profile::kLenient), &TheCatalogue());
  EXPECT_NE(html.find("<a href=\"#interp-C-11\">C-11</a>"), std::string::npos);
  EXPECT_NE(html.find("id=\"interp-C-11\""), std::string::npos);
  EXPECT_NE(html.find("FAIL → WARN (lenient profile, robustness interpretation)"),
            std::string::npos);
  EXPECT_NE(html.find("STALE EXPECTATION"), std::string::npos);
  EXPECT_NE(html.find("known failure did not fail (PASS); update the expectations file: issue #13"),
            std::string::npos);
  EXPECT_NE(html.find("<tr id=\"req-RELAY-31\">"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#req-RELAY-31\" title=\"SHALL: "), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#case-1\">relay/8.1/second-recipient</a>"), std::string::npos);
  EXPECT_NE(html.find("NOT TESTED"), std::string::npos);
  EXPECT_NE(html.find("HTTP 200"), std::string::npos);
}

TEST(Html, ShowsTheBasisOfEveryVerdictAndTheStandardProfilesDowngrade) {
  const std::string html = RenderHtml(SampleRun(Profile::kStandard), &TheCatalogue());
  EXPECT_NE(html.find("<div class=\"basis\">draft [HTTP] §8.1.1 SHALL: A mailbox is bound to "
                      "exactly one recipient.</div>"),
            std::string::npos);
  EXPECT_NE(html.find("<div class=\"basis\">interpretation C-11 (robustness): a create without a "
                      "claim is refused with 400 or 401</div>"),
            std::string::npos);
  EXPECT_NE(html.find("FAIL → WARN (standard profile, robustness interpretation)"),
            std::string::npos);
  EXPECT_NE(html.find("<td>C-11</td><td>robustness</td>"), std::string::npos);
}

TEST(Html, OpensWithTheRootCauses) {
  const std::string html = RenderHtml(SampleRun(), &TheCatalogue());
  const std::size_t causes = html.find("<h2>Root causes</h2>");
  ASSERT_NE(causes, std::string::npos);
  EXPECT_LT(causes, html.find("<dt>Run</dt>"));
  EXPECT_EQ(causes, html.find("<h2>"));
  EXPECT_NE(html.find("<td>ReadSecureContent answered, 200</td>"), std::string::npos);
  RunResult clean = SampleRun();
  clean.cases.resize(1);
  EXPECT_EQ(RenderHtml(clean, nullptr).find("Root causes"), std::string::npos);
}

TEST(Html, RequirementRowsAreNotEvaluatedOrNotExaminedInsteadOfTheCaseVerdict) {
  RunResult run = SampleRun();
  run.cases[1].requirement_ids.push_back("RELAY-05");  // declared, never cited
  const std::string html = RenderHtml(run, &TheCatalogue());
  // The coverage row of RELAY-40 and the timed-out case both say why.
  const std::size_t row = html.find("<tr id=\"req-RELAY-40\"");
  ASSERT_NE(row, std::string::npos);
  const std::string cov = html.substr(row, html.find("</tr>", row) - row);
  EXPECT_NE(cov.find("NOT EVALUATED"), std::string::npos) << cov;
  EXPECT_EQ(cov.find("TIMEOUT"), std::string::npos) << cov;
  EXPECT_NE(cov.find("never read the share"), std::string::npos) << cov;
  const std::size_t row5 = html.find("<tr id=\"req-RELAY-05\"");
  ASSERT_NE(row5, std::string::npos);
  const std::string cov5 = html.substr(row5, html.find("</tr>", row5) - row5);
  EXPECT_NE(cov5.find("NOT EXAMINED"), std::string::npos) << cov5;
  EXPECT_EQ(cov5.find("v-fail"), std::string::npos) << cov5;
  const std::size_t box = html.find("id=\"case-3\"");
  ASSERT_NE(box, std::string::npos);
  const std::string section = html.substr(box, html.find("</details>", box) - box);
  EXPECT_NE(section.find("NOT EVALUATED</span> <span class=\"muted\">not evaluated: the "
                         "recipient never read the share"),
            std::string::npos)
      << section;
  EXPECT_NE(section.find("<dt>Stopped early</dt>"), std::string::npos);
}

TEST(Html, AKnownFailureThatEndsInErrorIsNotLabelledExpected) {
  RunResult run = SampleRun();
  CaseResult& known = run.cases[5];
  known.assertions.push_back(testing::MakeAssertion("", Verdict::kError, "adapter crashed"));
  FinalizeCase(known, run.profile);
  ASSERT_TRUE(known.Unexpected());
  const std::string html = RenderHtml(run, &TheCatalogue());
  const std::size_t box = html.find("id=\"case-5\"");
  const std::string section = html.substr(box, html.find("</details>", box) - box);
  EXPECT_EQ(section.find("expected failure</span>"), std::string::npos) << section;
  EXPECT_NE(section.find("unexpected: a known failure covers FAIL only"), std::string::npos);
}

TEST(Html, NamesTheSpecAndShowsTheDiagnosisAsAWarningFirst) {
  const std::string plain = RenderHtml(SampleRun(), &TheCatalogue());
  EXPECT_NE(plain.find("Spec: draft-vinokurov-tigress-http-00 (http-00)"), std::string::npos);
  EXPECT_EQ(plain.find("class=\"diagnosis\""), std::string::npos);

  RunResult run = SampleRun();
  run.spec = "sct-04";
  run.diagnosis = {"relay 'x' answers only <http-00> header names"};
  const std::string html = RenderHtml(run, &TheCatalogue());
  const std::size_t warning = html.find("<div class=\"diagnosis\" role=\"alert\">");
  ASSERT_NE(warning, std::string::npos);
  EXPECT_GT(warning, html.find("<h1>tigress-harness report</h1>"));
  EXPECT_LT(warning, html.find("Result:"));
  EXPECT_LT(warning, html.find("<h2>"));
  EXPECT_NE(html.find("<li>relay &#39;x&#39; answers only &lt;http-00&gt; header names</li>"),
            std::string::npos);
  EXPECT_NE(html.find("Spec: draft-secure-credential-transfer-04 (sct-04)"), std::string::npos);
  EXPECT_NE(html.find("<th>Spec</th>"), std::string::npos);
}

}  // namespace
}  // namespace tigress::reports
