#include "harness/run/diagnosis.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tigress::harness {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(RelayDiagnosis, ARelayThatAcceptsOnlyTheOtherRevisionsClaimIsNamedWithTheRerunFlag) {
  const std::vector<ProbeOutcome> outcomes = {
      {Revision::kHttp00, 400, "{\"error\": \"Invalid or missing Device-Claim header\"}"},
      {Revision::kSct04, 200, "{\"urlLink\": \"https://x/v1/m/1\"}"}};
  const std::optional<std::string> line = DiagnoseRelay("acme", Revision::kHttp00, outcomes);
  ASSERT_TRUE(line.has_value());
  EXPECT_THAT(*line, StartsWith("relay 'acme' appears to implement sct-04 (it refuses "
                                "Mailbox-Device-Claim: 400 {\"error\""));
  EXPECT_THAT(*line, HasSubstr("); rerun with --spec sct-04"));
}

TEST(RelayDiagnosis, NothingIsSaidWhenTheTestedRevisionsCreateSucceeds) {
  EXPECT_FALSE(DiagnoseRelay("r", Revision::kHttp00,
                             {{Revision::kHttp00, 200, ""}, {Revision::kSct04, 200, ""}}));
  EXPECT_FALSE(DiagnoseRelay("r", Revision::kSct04,
                             {{Revision::kHttp00, 400, ""}, {Revision::kSct04, 201, ""}}));
  EXPECT_FALSE(DiagnoseRelay("r", Revision::kHttp00, {})) << "the relay never started";
  EXPECT_FALSE(DiagnoseRelay("r", Revision::kHttp00,
                             {{Revision::kHttp00, 0, ""}, {Revision::kSct04, 200, ""}}))
      << "no answer is not a refusal";
}

TEST(RelayDiagnosis, ARelayRefusingEveryRevisionIsSaidSoWithEachAnswerOnOneLine) {
  const std::optional<std::string> line = DiagnoseRelay(
      "r", Revision::kHttp00,
      {{Revision::kHttp00, 500, "oops\nline two"}, {Revision::kSct04, 400, std::string(300, 'x')}});
  ASSERT_TRUE(line.has_value());
  EXPECT_THAT(*line, HasSubstr("Mailbox-Device-Claim: 500 oops line two; Device-Claim: 400 x"));
  EXPECT_THAT(*line, HasSubstr("...): expect most cases to fail"));
  EXPECT_EQ(line->find('\n'), std::string::npos);
}

TEST(DeviceDiagnosis, ADeviceSendingOnlyAnotherRevisionsClaimHeaderIsNamed) {
  const std::optional<std::string> line =
      DiagnoseDevice("acme", Revision::kHttp00, {{Revision::kSct04, "Device-Claim"}});
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(*line,
            "device 'acme' appears to implement sct-04 (its requests carry Device-Claim, not "
            "Mailbox-Device-Claim); rerun with --spec sct-04");
  EXPECT_FALSE(DiagnoseDevice("acme", Revision::kSct04, {{Revision::kSct04, "Device-Claim"}}));
  EXPECT_FALSE(DiagnoseDevice("acme", Revision::kHttp00,
                              {{Revision::kSct04, "Device-Attestation"},
                               {Revision::kHttp00, "Mailbox-Device-Claim"}}));
  EXPECT_FALSE(DiagnoseDevice("acme", Revision::kHttp00, {}));
}

TEST(Diagnosis, KeepsEachLineOnceInTheOrderFirstAdded) {
  Diagnosis d;
  EXPECT_TRUE(d.Add("b"));
  EXPECT_TRUE(d.Add("a"));
  EXPECT_FALSE(d.Add("b"));
  EXPECT_EQ(d.Lines(), (std::vector<std::string>{"b", "a"}));
}

TEST(RevisionProbe, TheProbeOutcomesAreReadBackPerRevisionFromTheEvidence) {
  reports::CaseResult probe;
  for (const RevisionInfo& r : AllRevisions()) {
    reports::Assertion a;
    reports::HttpExcerpt x;
    x.request_headers = {{std::string(r.claim_header), "1234...abcd"}, {"Mailbox-Request-ID", "x"}};
    x.status = r.id == Revision::kSct04 ? 200 : 400;
    x.response_body = "body";
    a.evidence.http.push_back(x);
    probe.assertions.push_back(a);
    probe.assertions.push_back(a);  // a second check of the same step adds nothing
  }
  const std::vector<ProbeOutcome> out = ProbeOutcomes(probe);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].revision, Revision::kHttp00);
  EXPECT_EQ(out[0].status, 400);
  EXPECT_EQ(out[1].revision, Revision::kSct04);
  EXPECT_EQ(out[1].status, 200);
  EXPECT_THAT(RevisionProbeScenario(), HasSubstr("literal_headers: true"));
  EXPECT_THAT(RevisionProbeScenario(), HasSubstr("headers: {Device-Claim: "));
}

}  // namespace
}  // namespace tigress::harness
