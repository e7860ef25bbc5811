#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/harness/run/fake_ports.h"

namespace tigress::harness {
namespace {

using fakes::FakeDevice;
using reports::Verdict;
using ::testing::HasSubstr;

Step Call(Role role, std::string method, nlohmann::json params = nlohmann::json::object()) {
  Step st;
  st.where = "t.yaml:7";
  st.action = CallAction{.role = role, .method = std::move(method), .params = std::move(params)};
  return st;
}

Expectation Succeeds(std::string req) {
  Expectation e;
  e.req = std::move(req);
  e.subject = Expectation::Subject::kOk;
  e.where = "t.yaml:8";
  return e;
}

class CallStep : public fakes::StepTest {
 protected:
  CallStep() { adapters.devices[Role::kInitiator] = &device; }
  FakeDevice device;
};

TEST_F(CallStep, SucceedsSavesTheResultAndNotesItsSecret) {
  device.handler = [](const std::string&, const nlohmann::json&) {
    return FakeDevice::Returns(
        {{"shareUrl", "https://relay.example/v1/m/1#AAECAwQFBgcICQoLDA0ODw"}});
  };
  Step st = Call(Role::kInitiator, "initiator.share", {{"title", "${case.title}"}});
  vars.Set("case", nlohmann::json{{"title", "Wi-Fi"}});
  st.expect = {Succeeds("INIT-01")};
  st.save = {{"share", "result.shareUrl"}};
  StepResult r = Run(st);
  ASSERT_EQ(r.checks.size(), 1u);
  EXPECT_EQ(r.checks[0].second.verdict, Verdict::kPass);
  EXPECT_FALSE(r.stop);
  ASSERT_EQ(device.calls.size(), 1u);
  EXPECT_EQ(device.calls[0].first, "initiator.share");
  EXPECT_EQ(device.calls[0].second["title"], "Wi-Fi");
  EXPECT_TRUE(vars.Has("share"));
  OracleInput in;
  oracle.FillInto(in);
  EXPECT_EQ(in.fragments, std::vector<std::string>{"AAECAwQFBgcICQoLDA0ODw"});
  EXPECT_EQ(in.secrets.size(), 1u);
  ASSERT_EQ(log.resolved_steps().size(), 1u);
  EXPECT_EQ(log.resolved_steps()[0]["call"]["method"], "initiator.share");
}

TEST_F(CallStep, AnUnimplementedMethodOfAnUndeclaredOptionalFeatureIsUnsupported) {
  Manifest m;
  m.name = "acme";
  device.manifest_ = &m;
  device.handler = [](const std::string&, const nlohmann::json&) {
    return FakeDevice::Refuses(-32601, "method not found");
  };
  StepResult r = Run(Call(Role::kInitiator, "recipient.relinquish"));
  ASSERT_EQ(r.extra.size(), 1u);
  EXPECT_EQ(r.extra[0].verdict, Verdict::kUnsupported);
  EXPECT_THAT(r.extra[0].message, HasSubstr("optional feature 'relinquish'"));
  EXPECT_TRUE(r.stop);
}

TEST_F(CallStep, AnUnimplementedBaselineMethodFails) {
  device.handler = [](const std::string&, const nlohmann::json&) {
    return FakeDevice::Refuses(-32601, "method not found");
  };
  StepResult r = Run(Call(Role::kInitiator, "initiator.share"));
  ASSERT_EQ(r.extra.size(), 1u);
  EXPECT_EQ(r.extra[0].verdict, Verdict::kFail);
  EXPECT_EQ(r.extra[0].expected, "an implementation of initiator.share");
  EXPECT_THAT(r.extra[0].message, HasSubstr("baseline adapter contract"));
}

TEST_F(CallStep, InvalidParamsOnTemplatedInputIsTheDevicesVerdictOnThatInput) {
  device.handler = [](const std::string&, const nlohmann::json&) {
    return FakeDevice::Refuses(-32602, "bad share url");
  };
  vars.Set("url", "https://relay.example/v1/m/1#x");
  Step st = Call(Role::kInitiator, "recipient.receive", {{"shareUrl", "${url}"}});
  st.req = "RECIP-02";
  StepResult r = Run(st);
  ASSERT_EQ(r.extra.size(), 1u);
  EXPECT_EQ(r.extra[0].requirement_id, "RECIP-02");
  EXPECT_THAT(r.extra[0].message, HasSubstr("refused the input as invalid (-32602)"));
  EXPECT_EQ(r.extra[0].expected, "the input accepted");
}

TEST_F(CallStep, InvalidParamsOnLiteralInputIsAFailedOperation) {
  device.handler = [](const std::string&, const nlohmann::json&) {
    return FakeDevice::Refuses(-32602, "bad params");
  };
  Step st = Call(Role::kInitiator, "recipient.receive", {{"shareUrl", "https://x/#y"}});
  st.req = "RECIP-02";
  StepResult r = Run(st);
  ASSERT_EQ(r.extra.size(), 1u);
  EXPECT_EQ(r.extra[0].verdict, Verdict::kFail);
  EXPECT_THAT(r.extra[0].message, HasSubstr("the operation failed"));
}

TEST_F(CallStep, ARelayRefusalIsChargedToTheRelayOperationRefusedDuringTheCall) {
  har::Exchange earlier;
  earlier.method = "POST";
  earlier.url = "https://127.0.0.1:4000/v1/m";
  earlier.status = 500;  // before the call: not this call's refusal
  proxy.transcript.exchanges.push_back(earlier);
  device.handler = [this](const std::string&, const nlohmann::json&) {
    har::Exchange update;
    update.method = "PUT";
    update.url = "https://127.0.0.1:4000/v1/m/1";
    update.status = 400;
    update.response_body = R"({"error":"bad request id"})";
    proxy.transcript.exchanges.push_back(update);
    return FakeDevice::Refuses(1002, "relay refused");
  };
  StepResult r = Run(Call(Role::kInitiator, "initiator.update"));
  ASSERT_EQ(r.extra.size(), 1u);
  const reports::Assertion& a = r.extra[0];
  EXPECT_EQ(a.requirement_id, "RELAY-17");
  EXPECT_EQ(a.verdict, Verdict::kFail);
  EXPECT_THAT(a.message, HasSubstr("the relay refused its UpdateMailbox with 400"));
  ASSERT_EQ(a.evidence.http.size(), 1u);
  EXPECT_EQ(a.evidence.http[0].status, 400);
  EXPECT_THAT(a.evidence.fields,
              ::testing::Contains(std::pair<std::string, std::string>("blame", "relay-refusal")));
}

TEST_F(CallStep, AnErrorTheStepExpectsIsJudgedNotCharged) {
  device.handler = [](const std::string&, const nlohmann::json&) {
    return FakeDevice::Refuses(1001, "not found");
  };
  Step st = Call(Role::kInitiator, "initiator.update");
  Expectation e;
  e.req = "RELAY-01";
  e.subject = Expectation::Subject::kError;
  e.codes = {1001};
  st.expect = {e};
  StepResult r = Run(st);
  EXPECT_TRUE(r.extra.empty());
  ASSERT_EQ(r.checks.size(), 1u);
  EXPECT_EQ(r.checks[0].second.verdict, Verdict::kPass);
}

TEST_F(CallStep, ATimeoutIsATimeoutThatStops) {
  device.handler = [](const std::string&, const nlohmann::json&) {
    RpcOutcome o;
    o.kind = RpcOutcome::Kind::kTimeout;
    o.detail = "no answer within 1000 ms";
    return o;
  };
  StepResult r = Run(Call(Role::kInitiator, "initiator.share"));
  ASSERT_EQ(r.extra.size(), 1u);
  EXPECT_EQ(r.extra[0].verdict, Verdict::kTimeout);
  EXPECT_TRUE(r.stop);
}

TEST_F(CallStep, ARoleWithoutADeviceIsAnErrorAndALateStartThatFailsSaysWhy) {
  StepResult none = Run(Call(Role::kRecipient, "recipient.receive"));
  ASSERT_EQ(none.extra.size(), 1u);
  EXPECT_EQ(none.extra[0].verdict, Verdict::kError);
  EXPECT_THAT(none.extra[0].message, HasSubstr("no recipient adapter is running"));
  adapters.start_error = "hello timed out";
  adapters.start_verdict = Verdict::kTimeout;
  StepResult late = Run(Call(Role::kRecipient, "recipient.receive"));
  ASSERT_EQ(late.extra.size(), 1u);
  EXPECT_EQ(late.extra[0].verdict, Verdict::kTimeout);
  EXPECT_THAT(late.extra[0].message,
              HasSubstr("the recipient adapter (started late) is unusable: hello timed out"));
  EXPECT_TRUE(late.stop);
}

TEST_F(CallStep, AnExpectationCitesItsOwnLineNotTheSteps) {
  device.handler = [](const std::string&, const nlohmann::json&) {
    return FakeDevice::Returns({{"ok", true}});
  };
  Step st = Call(Role::kInitiator, "send");
  st.expect = {Succeeds("INIT-01")};
  st.expect[0].where = "t.yaml:13";
  StepResult r = Run(st);
  ASSERT_EQ(r.checks.size(), 1u);
  EXPECT_THAT(r.checks[0].second.message, HasSubstr("[t.yaml:13]"));
  EXPECT_THAT(r.checks[0].second.message, ::testing::Not(HasSubstr("t.yaml:7")));
  StepContext cx = Context(true);
  StepResult lane = ExecuteStep(st, vars, st.where + " (lane 2)", cx);
  ASSERT_EQ(lane.checks.size(), 1u);
  EXPECT_THAT(lane.checks[0].second.message, HasSubstr("[t.yaml:13 (lane 2)]"));
}

}  // namespace
}  // namespace tigress::harness
