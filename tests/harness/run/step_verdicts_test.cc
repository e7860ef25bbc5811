#include "harness/run/step_verdicts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/harness/run/fake_ports.h"

namespace tigress::harness {
namespace {

using fakes::StatusIn;
using reports::Assertion;
using reports::NotEvaluated;
using reports::Verdict;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Assertion A(std::string req, Verdict v, std::string message = "checked") {
  Assertion a;
  a.requirement_id = std::move(req);
  a.verdict = v;
  a.message = std::move(message);
  return a;
}

TEST(ExpectsRefusal, IsTrueOnlyWhenEveryListedStatusIsARefusalOrNoAnswer) {
  Step refusal;
  refusal.expect = {StatusIn({400, 401})};
  EXPECT_TRUE(ExpectsRefusal(refusal));
  Step closed;
  closed.expect = {StatusIn({0, 413})};
  EXPECT_TRUE(ExpectsRefusal(closed));
  Step either;
  either.expect = {StatusIn({200, 400})};
  EXPECT_FALSE(ExpectsRefusal(either));
  Step error;
  Expectation e;
  e.subject = Expectation::Subject::kError;
  e.codes = {1001};
  error.expect = {e};
  EXPECT_TRUE(ExpectsRefusal(error));
  EXPECT_FALSE(ExpectsRefusal(Step{}));
}

TEST(MethodFeature, OnlyRelinquishBelongsToAnOptionalFeature) {
  EXPECT_EQ(MethodFeature("recipient.relinquish"), "relinquish");
  EXPECT_EQ(MethodFeature("initiator.share"), "");
  EXPECT_EQ(MethodFeature("receive"), "");
}

TEST(RelayOperationRequirement, NamesTheRequirementOfEachOperation) {
  EXPECT_EQ(RelayOperationRequirement("CreateMailbox"), "RELAY-01");
  EXPECT_EQ(RelayOperationRequirement("UpdateMailbox"), "RELAY-17");
  EXPECT_EQ(RelayOperationRequirement("RelinquishMailbox"), "RELAY-34");
  EXPECT_EQ(RelayOperationRequirement("BREW /v1/m"), "");
}

TEST(FailControl, RaisesTheControlToFailAndTakesOutTheRefusalsBeforeIt) {
  std::vector<Assertion> as = {A("RELAY-01", Verdict::kPass), A("RELAY-47", Verdict::kPass),
                               A("RELAY-11", Verdict::kInfo, "status 200")};
  std::vector<bool> refusal = {false, true, false};
  const auto removed = FailControl(as, refusal, 2);
  EXPECT_THAT(removed, ElementsAre("RELAY-47"));
  ASSERT_EQ(as.size(), 2u);
  ASSERT_EQ(refusal.size(), 2u);
  EXPECT_EQ(as[0].requirement_id, "RELAY-01");
  EXPECT_EQ(as[1].verdict, Verdict::kFail);
  EXPECT_THAT(as[1].message, HasSubstr("positive control failed"));
  EXPECT_THAT(as[1].message, HasSubstr("status 200"));
}

TEST(FailControl, LeavesAPassingCheckOfTheControlAlone) {
  std::vector<Assertion> as = {A("RELAY-01", Verdict::kPass), A("RELAY-01", Verdict::kFail)};
  std::vector<bool> refusal = {false, false};
  EXPECT_TRUE(FailControl(as, refusal, 0).empty());
  EXPECT_EQ(as[0].verdict, Verdict::kPass);
  EXPECT_EQ(as[0].message, "checked");
  EXPECT_EQ(as[1].verdict, Verdict::kFail);
}

TEST(RequirementsChecked, WalksStepsExpectationsAndParallelGroups) {
  Step a;
  a.req = "INIT-16";
  a.expect = {StatusIn({200}, "RELAY-01")};
  Step lane;
  lane.expect = {StatusIn({401}, "RELAY-31")};
  Step group;
  group.action = ParallelAction{.steps = {lane}};
  const std::vector<Step> steps = {a, group};
  EXPECT_THAT(RequirementsChecked(steps), ElementsAre("INIT-16", "RELAY-01", "RELAY-31"));
}

TEST(NoteNotEvaluated, SkipsEmptyListedAndAssertedRequirements) {
  std::vector<NotEvaluated> ne;
  const std::vector<Assertion> as = {A("RELAY-01", Verdict::kFail)};
  NoteNotEvaluated(ne, as, "RELAY-30", "create refused");
  NoteNotEvaluated(ne, as, "RELAY-30", "again");
  NoteNotEvaluated(ne, as, "RELAY-01", "asserted already");
  NoteNotEvaluated(ne, as, "", "no requirement");
  ASSERT_EQ(ne.size(), 1u);
  EXPECT_EQ(ne[0].requirement_id, "RELAY-30");
  EXPECT_EQ(ne[0].reason, "create refused");
}

Assertion RelayBlame() {
  Assertion a = A("RELAY-01", Verdict::kFail, "the relay refused its CreateMailbox");
  a.evidence.fields.emplace_back("blame", "relay-refusal");
  return a;
}

TEST(ExcuseRelayRefusals, ExcusesTheRelayWhenTheDevicesRequestWasMalformed) {
  std::vector<Assertion> as = {RelayBlame(), A("INIT-02", Verdict::kFail)};
  ExcuseRelayRefusals(as);
  EXPECT_EQ(as[0].verdict, Verdict::kInfo);
  EXPECT_THAT(as[0].message, HasSubstr("INIT-02"));
  EXPECT_EQ(as[1].verdict, Verdict::kFail);
}

TEST(ExcuseRelayRefusals, KeepsTheRelaysFailWhenTheDevicesRequestsWereFine) {
  std::vector<Assertion> as = {RelayBlame(), A("INIT-02", Verdict::kPass),
                               A("PRIV-01", Verdict::kFail)};
  ExcuseRelayRefusals(as);
  EXPECT_EQ(as[0].verdict, Verdict::kFail);
}

}  // namespace
}  // namespace tigress::harness
