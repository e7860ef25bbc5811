#include "reports/results.h"

#include <vector>

#include <gtest/gtest.h>

namespace tigress::reports {
namespace {

constexpr Verdict kAll[] = {Verdict::kPass,   Verdict::kFail,        Verdict::kWarn,
                            Verdict::kInfo,   Verdict::kUnsupported, Verdict::kError,
                            Verdict::kTimeout};

Assertion A(Verdict v, bool interpretation = false,
            InterpretationClass klass = InterpretationClass::kInterop) {
  Assertion a;
  a.requirement_id = "RELAY-01";
  a.verdict = v;
  a.interpretation = interpretation;
  if (interpretation) {
    a.interpretation_refs = {"C-11"};
    a.interpretation_class = klass;
  }
  return a;
}

// An assertion of requirement `id`.
Assertion Of(std::string id, Verdict v) {
  Assertion a = A(v);
  a.requirement_id = std::move(id);
  return a;
}

CaseResult KnownFailure(std::vector<Assertion> assertions,
                        std::vector<std::string> requirements = {}) {
  CaseResult c;
  c.case_id = "relay/known";
  c.expected_failure = true;
  c.expected_failure_reason = "ACME-1";
  c.expected_failure_requirements = std::move(requirements);
  c.assertions = std::move(assertions);
  FinalizeCase(c, Profile::kStandard);
  return c;
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

TEST(Profile, StandardIsTheDefault) {
  EXPECT_EQ(RunResult{}.profile, Profile::kStandard);
  EXPECT_EQ(ProfileName(Profile::kStandard), "standard");
}

TEST(Profile, StandardKeepsAnInteropInterpretationFail) {
  CaseResult c = Case({A(Verdict::kFail, true, InterpretationClass::kInterop)}, Profile::kStandard);
  EXPECT_EQ(c.verdict, Verdict::kFail);
  EXPECT_FALSE(c.assertions[0].profile_downgrade);
  EXPECT_TRUE(c.Unexpected());
}

TEST(Profile, StandardTurnsARobustnessInterpretationFailIntoWarn) {
  CaseResult c =
      Case({A(Verdict::kPass), A(Verdict::kFail, true, InterpretationClass::kRobustness)},
           Profile::kStandard);
  EXPECT_EQ(c.verdict, Verdict::kWarn);
  EXPECT_EQ(c.assertions[1].verdict, Verdict::kWarn);
  EXPECT_TRUE(c.assertions[1].profile_downgrade);
  EXPECT_FALSE(c.assertions[0].profile_downgrade);
  EXPECT_FALSE(c.Unexpected());
}

TEST(Profile, StandardTurnsAHardeningInterpretationFailIntoInfo) {
  CaseResult c =
      Case({A(Verdict::kFail, true, InterpretationClass::kHardening)}, Profile::kStandard);
  EXPECT_EQ(c.assertions[0].verdict, Verdict::kInfo);
  EXPECT_TRUE(c.assertions[0].profile_downgrade);
  EXPECT_EQ(c.verdict, Verdict::kInfo);
  EXPECT_FALSE(c.Unexpected());
}

TEST(Profile, StandardCountsAnUnclassedInterpretationAsInterop) {
  EXPECT_EQ(ApplyProfile(Verdict::kFail, true, InterpretationClass::kNone, Profile::kStandard),
            Verdict::kFail);
}

TEST(Profile, StandardLeavesPlainFailsAndOtherVerdictsAlone) {
  // Without `interpretation` the class is ignored.
  EXPECT_EQ(
      ApplyProfile(Verdict::kFail, false, InterpretationClass::kHardening, Profile::kStandard),
      Verdict::kFail);
  for (Verdict v : {Verdict::kPass, Verdict::kWarn, Verdict::kInfo, Verdict::kUnsupported,
                    Verdict::kError, Verdict::kTimeout}) {
    EXPECT_EQ(ApplyProfile(v, true, InterpretationClass::kHardening, Profile::kStandard), v)
        << VerdictName(v);
  }
}

TEST(Profile, StrictKeepsEveryInterpretationFail) {
  for (InterpretationClass k : {InterpretationClass::kInterop, InterpretationClass::kRobustness,
                                InterpretationClass::kHardening}) {
    CaseResult c = Case({A(Verdict::kFail, true, k)}, Profile::kStrict);
    EXPECT_EQ(c.verdict, Verdict::kFail) << InterpretationClassName(k);
    EXPECT_FALSE(c.assertions[0].profile_downgrade);
    EXPECT_TRUE(c.Unexpected());
  }
}

TEST(Profile, LenientTurnsEveryInterpretationFailIntoWarnAndHardeningIntoInfo) {
  CaseResult c = Case({A(Verdict::kPass), A(Verdict::kFail, true, InterpretationClass::kInterop)},
                      Profile::kLenient);
  EXPECT_EQ(c.verdict, Verdict::kWarn);
  EXPECT_EQ(c.assertions[1].verdict, Verdict::kWarn);
  EXPECT_TRUE(c.assertions[1].profile_downgrade);
  EXPECT_FALSE(c.assertions[0].profile_downgrade);
  EXPECT_FALSE(c.Unexpected());
  EXPECT_EQ(ApplyProfile(Verdict::kFail, true, InterpretationClass::kRobustness, Profile::kLenient),
            Verdict::kWarn);
  EXPECT_EQ(ApplyProfile(Verdict::kFail, true, InterpretationClass::kHardening, Profile::kLenient),
            Verdict::kInfo);
}

TEST(Profile, LenientKeepsPlainFailAndInterpretationErrors) {
  EXPECT_EQ(Case({A(Verdict::kFail)}, Profile::kLenient).verdict, Verdict::kFail);
  EXPECT_EQ(Case({A(Verdict::kError, true)}, Profile::kLenient).verdict, Verdict::kError);
  EXPECT_EQ(Case({A(Verdict::kTimeout, true)}, Profile::kLenient).verdict, Verdict::kTimeout);
  EXPECT_EQ(ApplyProfile(Verdict::kWarn, true, InterpretationClass::kInterop, Profile::kLenient),
            Verdict::kWarn);
}

TEST(Profile, NamesParse) {
  EXPECT_EQ(ParseProfile("standard"), Profile::kStandard);
  EXPECT_EQ(ParseProfile("strict"), Profile::kStrict);
  EXPECT_EQ(ParseProfile("LENIENT"), Profile::kLenient);
  EXPECT_FALSE(ParseProfile("loose").has_value());
  EXPECT_FALSE(ParseProfile("").has_value());
  EXPECT_EQ(ProfileName(Profile::kLenient), "lenient");
}

TEST(InterpretationClass, NamesParseAndTheWeakestClassWins) {
  EXPECT_EQ(ParseInterpretationClass("robustness"), InterpretationClass::kRobustness);
  EXPECT_EQ(ParseInterpretationClass("Hardening"), InterpretationClass::kHardening);
  EXPECT_FALSE(ParseInterpretationClass("").has_value());
  EXPECT_FALSE(ParseInterpretationClass("cosmetic").has_value());
  EXPECT_EQ(InterpretationClassName(InterpretationClass::kNone), "");
  EXPECT_EQ(WeakerClass(InterpretationClass::kInterop, InterpretationClass::kHardening),
            InterpretationClass::kHardening);
  EXPECT_EQ(WeakerClass(InterpretationClass::kRobustness, InterpretationClass::kInterop),
            InterpretationClass::kRobustness);
  EXPECT_EQ(WeakerClass(InterpretationClass::kNone, InterpretationClass::kInterop),
            InterpretationClass::kInterop);
}

TEST(CaseResult, ACaseThatStoppedEarlyNeverReadsAsPass) {
  CaseResult c;
  c.assertions = {A(Verdict::kPass)};
  c.stopped_early = true;
  c.not_evaluated = {{"RELAY-31", "CreateMailbox refused"}};
  FinalizeCase(c, Profile::kStandard);
  EXPECT_EQ(c.verdict, Verdict::kWarn);
  CaseResult info;
  info.assertions = {A(Verdict::kInfo)};
  info.stopped_early = true;
  FinalizeCase(info, Profile::kStandard);
  EXPECT_EQ(info.verdict, Verdict::kWarn);
}

TEST(CaseResult, ACaseThatStoppedEarlyKeepsAWorseVerdict) {
  CaseResult c;
  c.assertions = {A(Verdict::kPass), A(Verdict::kFail)};
  c.stopped_early = true;
  FinalizeCase(c, Profile::kStandard);
  EXPECT_EQ(c.verdict, Verdict::kFail);
  CaseResult unsupported;
  unsupported.assertions = {A(Verdict::kUnsupported)};
  unsupported.stopped_early = true;
  FinalizeCase(unsupported, Profile::kStandard);
  EXPECT_EQ(unsupported.verdict, Verdict::kUnsupported);
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

TEST(CaseResult, KnownFailureThatEndsInErrorOrTimeoutIsUnexpected) {
  for (Verdict v : {Verdict::kError, Verdict::kTimeout}) {
    CaseResult c = KnownFailure({A(Verdict::kFail), A(v)});
    EXPECT_EQ(c.verdict, v);
    EXPECT_FALSE(c.stale_expectation);
    EXPECT_TRUE(c.Unexpected()) << VerdictName(v);
  }
}

TEST(CaseResult, KnownFailureNamingRequirementsIsExpectedWhenOnlyThoseFail) {
  CaseResult c =
      KnownFailure({Of("RELAY-31", Verdict::kFail), Of("RELAY-01", Verdict::kPass)}, {"RELAY-31"});
  EXPECT_EQ(c.verdict, Verdict::kFail);
  EXPECT_FALSE(c.stale_expectation);
  EXPECT_FALSE(c.Unexpected());
}

TEST(CaseResult, KnownFailureNamingRequirementsThatFailsAnotherIsUnexpected) {
  CaseResult c =
      KnownFailure({Of("RELAY-31", Verdict::kFail), Of("RELAY-40", Verdict::kFail)}, {"RELAY-31"});
  EXPECT_EQ(c.verdict, Verdict::kFail);
  EXPECT_TRUE(c.Unexpected());
}

TEST(CaseResult, KnownFailureWhoseNamedRequirementsPassIsStale) {
  // It FAILs, but not what the expectation names: the expectation is stale
  // and the new FAIL is unexpected.
  CaseResult c =
      KnownFailure({Of("RELAY-31", Verdict::kPass), Of("RELAY-40", Verdict::kFail)}, {"RELAY-31"});
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
  known.assertions = {A(Verdict::kFail)};
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

TEST(RunResult, ExitCodeIsOneWhenEveryCaseIsUnsupported) {
  RunResult run;
  EXPECT_FALSE(run.NothingTested());  // an empty run is not "nothing tested"
  run.cases.push_back(Case({A(Verdict::kUnsupported)}));
  run.cases.push_back(Case({A(Verdict::kUnsupported), A(Verdict::kPass)}));
  EXPECT_TRUE(run.NothingTested());
  EXPECT_EQ(run.Summarize().unexpected, 0);
  EXPECT_EQ(run.ExitCode(), 1);
  run.cases.push_back(Case({A(Verdict::kPass)}));
  EXPECT_FALSE(run.NothingTested());
  EXPECT_EQ(run.ExitCode(), 0);
}

TEST(RunResult, ExitCodeIsOneForAKnownFailureThatEndsInError) {
  RunResult run;
  run.cases.push_back(KnownFailure({A(Verdict::kError)}));
  EXPECT_EQ(run.ExitCode(), 1);
  EXPECT_EQ(run.Summarize().expected_failures, 0);
  EXPECT_EQ(run.Summarize().unexpected, 1);
}

TEST(RunResult, SummaryCountsVerdictsAndExpectations) {
  RunResult run;
  run.cases.push_back(Case({A(Verdict::kPass)}));
  run.cases.push_back(Case({A(Verdict::kFail)}));
  run.cases.push_back(Case({A(Verdict::kFail, true)}, Profile::kLenient));
  CaseResult known;
  known.expected_failure = true;
  known.assertions = {A(Verdict::kFail)};
  FinalizeCase(known, Profile::kStrict);
  run.cases.push_back(known);
  run.cases.push_back(KnownFailure({A(Verdict::kError)}));  // not covered: unexpected
  const RunSummary s = run.Summarize();
  EXPECT_EQ(s.total, 5);
  EXPECT_EQ(s.pass, 1);
  EXPECT_EQ(s.fail, 2);
  EXPECT_EQ(s.warn, 1);
  EXPECT_EQ(s.error, 1);
  EXPECT_EQ(s.unexpected, 2);
  EXPECT_EQ(s.expected_failures, 1);
  EXPECT_EQ(s.interpretation, 1);
  EXPECT_EQ(s.Count(Verdict::kWarn), 1);
}

TEST(RunSummary, AddCountsOneCaseAtATime) {
  RunSummary s;
  s.Add(Case({A(Verdict::kTimeout)}));
  EXPECT_EQ(s.total, 1);
  EXPECT_EQ(s.timeout, 1);
  EXPECT_EQ(s.unexpected, 1);
  s.Add(KnownFailure({A(Verdict::kFail)}));
  EXPECT_EQ(s.total, 2);
  EXPECT_EQ(s.fail, 1);
  EXPECT_EQ(s.expected_failures, 1);
  EXPECT_EQ(s.unexpected, 1) << "a covered known failure is not unexpected";
  s.Add(Case({A(Verdict::kUnsupported)}));
  EXPECT_EQ(s.Count(Verdict::kUnsupported), 1);
  EXPECT_EQ(s.Count(Verdict::kPass), 0);
}

TEST(RunSummary, ToStringLeavesOutZeroCountsAndEndsWithUnexpected) {
  RunSummary s;
  EXPECT_EQ(s.ToString(), "");
  s.pass = 11;
  s.fail = 1;
  s.timeout = 2;
  s.unexpected = 3;
  s.stale = 4;  // not part of the tally line
  EXPECT_EQ(s.ToString(), "11 pass 1 fail 2 timeout 3 unexpected");
  RunSummary all;
  for (Verdict v : {Verdict::kPass, Verdict::kFail, Verdict::kWarn, Verdict::kInfo,
                    Verdict::kUnsupported, Verdict::kError, Verdict::kTimeout}) {
    all.Add(Case({A(v)}));
  }
  EXPECT_EQ(all.ToString(),
            "1 pass 1 fail 1 warn 1 info 1 unsupported 1 error 1 timeout 3 unexpected");
}

}  // namespace
}  // namespace tigress::reports
