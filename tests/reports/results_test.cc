#include "reports/results.h"

#include <vector>

#include <gtest/gtest.h>

namespace tigress::reports {
namespace {

constexpr Verdict kAll[] = {Verdict::kPass,   Verdict::kFail,        Verdict::kWarn,
                            Verdict::kInfo,   Verdict::kUnsupported, Verdict::kError,
                            Verdict::kTimeout};

Assertion A(Verdict v, bool interpretation = false) {
  Assertion a;
  a.requirement_id = "RELAY-01";
  a.verdict = v;
  a.interpretation = interpretation;
  if (interpretation) a.interpretation_refs = {"C-11"};
  return a;
}

CaseResult Case(std::vector<Assertion> assertions, Profile profile = Profile::kStrict) {
  CaseResult c;
  c.case_id = "relay/x";
  c.assertions = std::move(assertions);
  FinalizeCase(c, profile);
  return c;
}

TEST(Verdict, NamesRoundTripThroughParseInAnyCase) {
  for (Verdict v : kAll) {
    const std::string name(VerdictName(v));
    EXPECT_EQ(ParseVerdict(name), v) << name;
    std::string lower = name;
    for (char& ch : lower) ch = static_cast<char>(ch - 'A' + 'a');
    EXPECT_EQ(ParseVerdict(lower), v) << lower;
  }
  EXPECT_EQ(VerdictName(Verdict::kUnsupported), "UNSUPPORTED");
  EXPECT_FALSE(ParseVerdict("PASSED").has_value());
  EXPECT_FALSE(ParseVerdict("").has_value());
}

TEST(Verdict, ErrorAndTimeoutDominateFail) {
  EXPECT_EQ(Worst(Verdict::kFail, Verdict::kTimeout), Verdict::kTimeout);
  EXPECT_EQ(Worst(Verdict::kTimeout, Verdict::kError), Verdict::kError);
  EXPECT_EQ(Worst(Verdict::kError, Verdict::kFail), Verdict::kError);
  EXPECT_EQ(Worst(Verdict::kWarn, Verdict::kFail), Verdict::kFail);
  EXPECT_EQ(Worst(Verdict::kPass, Verdict::kWarn), Verdict::kWarn);
  const std::vector<Verdict> list = {Verdict::kPass, Verdict::kTimeout, Verdict::kFail};
  EXPECT_EQ(Worst(list), Verdict::kTimeout);
}

TEST(Verdict, InfoDoesNotOutrankPass) {
  EXPECT_EQ(Worst(Verdict::kInfo, Verdict::kPass), Verdict::kPass);
  EXPECT_EQ(Case({A(Verdict::kPass), A(Verdict::kInfo)}).verdict, Verdict::kPass);
  EXPECT_EQ(Case({A(Verdict::kInfo)}).verdict, Verdict::kInfo);
}

TEST(Verdict, EmptyListIsWorstAsRequested) {
  EXPECT_EQ(Worst(std::vector<Verdict>{}), Verdict::kError);
  EXPECT_EQ(Worst(std::vector<Verdict>{}, Verdict::kPass), Verdict::kPass);
}

TEST(CaseResult, WithoutAssertionsIsError) { EXPECT_EQ(Case({}).verdict, Verdict::kError); }

TEST(CaseResult, AggregateIsTheWorstAssertion) {
  EXPECT_EQ(Case({A(Verdict::kPass), A(Verdict::kWarn), A(Verdict::kPass)}).verdict,
            Verdict::kWarn);
  EXPECT_EQ(Case({A(Verdict::kFail), A(Verdict::kTimeout)}).verdict, Verdict::kTimeout);
  EXPECT_EQ(Case({A(Verdict::kUnsupported), A(Verdict::kPass)}).verdict, Verdict::kUnsupported);
}

TEST(Profile, LenientTurnsInterpretationFailIntoWarn) {
  CaseResult c = Case({A(Verdict::kPass), A(Verdict::kFail, true)}, Profile::kLenient);
  EXPECT_EQ(c.verdict, Verdict::kWarn);
  EXPECT_EQ(c.assertions[1].verdict, Verdict::kWarn);
  EXPECT_TRUE(c.assertions[1].profile_downgrade);
  EXPECT_FALSE(c.assertions[0].profile_downgrade);
  EXPECT_FALSE(c.Unexpected());
}

TEST(Profile, StrictKeepsInterpretationFail) {
  CaseResult c = Case({A(Verdict::kFail, true)}, Profile::kStrict);
  EXPECT_EQ(c.verdict, Verdict::kFail);
  EXPECT_FALSE(c.assertions[0].profile_downgrade);
  EXPECT_TRUE(c.Unexpected());
}

TEST(Profile, LenientKeepsPlainFailAndInterpretationErrors) {
  EXPECT_EQ(Case({A(Verdict::kFail)}, Profile::kLenient).verdict, Verdict::kFail);
  EXPECT_EQ(Case({A(Verdict::kError, true)}, Profile::kLenient).verdict, Verdict::kError);
  EXPECT_EQ(Case({A(Verdict::kTimeout, true)}, Profile::kLenient).verdict, Verdict::kTimeout);
  EXPECT_EQ(ApplyProfile(Verdict::kWarn, true, Profile::kLenient), Verdict::kWarn);
}

TEST(Profile, NamesParse) {
  EXPECT_EQ(ParseProfile("strict"), Profile::kStrict);
  EXPECT_EQ(ParseProfile("LENIENT"), Profile::kLenient);
  EXPECT_FALSE(ParseProfile("loose").has_value());
  EXPECT_EQ(ProfileName(Profile::kLenient), "lenient");
}

TEST(CaseResult, KnownFailureThatFailsIsNotUnexpected) {
  CaseResult c;
  c.expected_failure = true;
  c.assertions = {A(Verdict::kFail)};
  FinalizeCase(c, Profile::kStrict);
  EXPECT_FALSE(c.stale_expectation);
  EXPECT_FALSE(c.Unexpected());
}

TEST(CaseResult, KnownFailureThatPassesIsStaleAndUnexpected) {
  CaseResult c;
  c.expected_failure = true;
  c.assertions = {A(Verdict::kPass)};
  FinalizeCase(c, Profile::kStrict);
  EXPECT_TRUE(c.stale_expectation);
  EXPECT_TRUE(c.Unexpected());
}

TEST(CaseResult, KnownFailureThatIsUnsupportedIsNotStale) {
  CaseResult c;
  c.expected_failure = true;
  c.assertions = {A(Verdict::kUnsupported)};
  FinalizeCase(c, Profile::kStrict);
  EXPECT_FALSE(c.stale_expectation);
  EXPECT_FALSE(c.Unexpected());
}

TEST(CaseResult, AreaComesFromFieldThenIdThenKeyword) {
  CaseResult c;
  EXPECT_EQ(c.Area(), "default");
  c.keywords = {"privacy"};
  EXPECT_EQ(c.Area(), "privacy");
  c.case_id = "replay/5.1/duplicate";
  EXPECT_EQ(c.Area(), "replay");
  c.area = "robustness";
  EXPECT_EQ(c.Area(), "robustness");
}

TEST(RunResult, ExitCodeIsZeroWithoutUnexpectedResults) {
  RunResult run;
  EXPECT_EQ(run.ExitCode(), 0);
  run.cases.push_back(Case({A(Verdict::kPass)}));
  run.cases.push_back(Case({A(Verdict::kWarn)}));
  run.cases.push_back(Case({A(Verdict::kInfo)}));
  run.cases.push_back(Case({A(Verdict::kUnsupported)}));
  EXPECT_EQ(run.ExitCode(), 0);
  CaseResult known;
  known.expected_failure = true;
  known.assertions = {A(Verdict::kTimeout)};
  FinalizeCase(known, Profile::kStrict);
  run.cases.push_back(known);
  EXPECT_EQ(run.ExitCode(), 0);
}

TEST(RunResult, ExitCodeIsOneForEachKindOfUnexpectedResult) {
  for (Verdict v : {Verdict::kFail, Verdict::kError, Verdict::kTimeout}) {
    RunResult run;
    run.cases.push_back(Case({A(Verdict::kPass)}));
    run.cases.push_back(Case({A(v)}));
    EXPECT_EQ(run.ExitCode(), 1) << VerdictName(v);
  }
  RunResult stale;
  CaseResult c;
  c.expected_failure = true;
  c.assertions = {A(Verdict::kPass)};
  FinalizeCase(c, Profile::kStrict);
  stale.cases.push_back(c);
  EXPECT_EQ(stale.ExitCode(), 1);
}

TEST(RunResult, SummaryCountsVerdictsAndExpectations) {
  RunResult run;
  run.cases.push_back(Case({A(Verdict::kPass)}));
  run.cases.push_back(Case({A(Verdict::kFail)}));
  run.cases.push_back(Case({A(Verdict::kFail, true)}, Profile::kLenient));
  CaseResult known;
  known.expected_failure = true;
  known.assertions = {A(Verdict::kError)};
  FinalizeCase(known, Profile::kStrict);
  run.cases.push_back(known);
  const RunSummary s = run.Summarize();
  EXPECT_EQ(s.total, 4);
  EXPECT_EQ(s.pass, 1);
  EXPECT_EQ(s.fail, 1);
  EXPECT_EQ(s.warn, 1);
  EXPECT_EQ(s.error, 1);
  EXPECT_EQ(s.unexpected, 1);
  EXPECT_EQ(s.expected_failures, 1);
  EXPECT_EQ(s.interpretation, 1);
  EXPECT_EQ(s.Count(Verdict::kWarn), 1);
}

}  // namespace
}  // namespace tigress::reports
