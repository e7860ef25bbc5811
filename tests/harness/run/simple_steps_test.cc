#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/harness/run/fake_ports.h"

namespace tigress::harness {
namespace {

using reports::Verdict;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

class SimpleSteps : public fakes::StepTest {};

TEST_F(SimpleSteps, AWaitSleepsOnTheCasesClock) {
  Step st;
  st.action = WaitAction{.ms = 60'000};
  const auto real_start = std::chrono::steady_clock::now();
  StepResult r = Run(st);
  EXPECT_TRUE(r.extra.empty());
  EXPECT_EQ(clock.slept(), 60'000ms);
  EXPECT_LT(std::chrono::steady_clock::now() - real_start, 5s);
}

TEST_F(SimpleSteps, HostileSetsTheProxysModeAndNeedsTheProxy) {
  Step st;
  st.where = "t.yaml:5";
  st.action = HostileAction{.mode = HostileMode::kFlipBit};
  EXPECT_TRUE(Run(st).extra.empty());
  EXPECT_EQ(proxy.hostile, HostileMode::kFlipBit);
  proxy.hostile_fails = true;
  StepResult bad = Run(st);
  ASSERT_EQ(bad.extra.size(), 1u);
  EXPECT_EQ(bad.extra[0].verdict, Verdict::kError);
  EXPECT_THAT(bad.extra[0].message, HasSubstr("cannot make the untrusted certificate"));
  EXPECT_TRUE(bad.stop);
  StepResult without = Run(st, /*with_proxy=*/false);
  ASSERT_EQ(without.extra.size(), 1u);
  EXPECT_THAT(without.extra[0].message, HasSubstr("hostile needs the relay role"));
}

TEST_F(SimpleSteps, RestartRestartsTheRolesDeviceAndSaysWhenItDoesNotComeBack) {
  fakes::FakeDevice device;
  adapters.devices[Role::kRecipient] = &device;
  Step st;
  st.where = "t.yaml:9";
  st.action = RestartAction{.role = Role::kRecipient};
  EXPECT_TRUE(Run(st).extra.empty());
  EXPECT_EQ(adapters.restarted, std::vector<std::string>{"recipient@t.yaml:9"});
  adapters.restart_fails = true;
  StepResult r = Run(st);
  ASSERT_EQ(r.extra.size(), 1u);
  EXPECT_EQ(r.extra[0].verdict, Verdict::kTimeout);
  EXPECT_THAT(r.extra[0].message, HasSubstr("did not come back after the restart"));
  EXPECT_TRUE(r.stop);
}

har::Exchange PushTo(const std::string& url, std::string body) {
  har::Exchange p;
  p.method = "POST";
  p.url = url;
  p.request_body = std::move(body);
  return p;
}

Step Push(std::int64_t count) {
  Step st;
  st.where = "t.yaml:11";
  st.action = PushAction{.url = "${relay.push_url}init-1", .count = count, .within_ms = 3000};
  return st;
}

class PushStep : public SimpleSteps {
 protected:
  PushStep() { vars.Set("relay", nlohmann::json{{"push_url", proxy.push_url()}}); }
  const std::string url = "https://127.0.0.1:5000/push/init-1";
};

TEST_F(PushStep, CountsThePushesToItsUrlAndChecksEachCarriesNoContent) {
  proxy.pushes = {PushTo(url, "{}"), PushTo(url, "{}"),
                  PushTo("https://127.0.0.1:5000/push/other", "{}")};
  StepResult r = Run(Push(2));
  ASSERT_EQ(r.extra.size(), 3u);
  EXPECT_EQ(r.extra[0].requirement_id, "RELAY-50");
  EXPECT_EQ(r.extra[0].verdict, Verdict::kPass);
  EXPECT_EQ(r.extra[0].actual, "2 push(es)");
  EXPECT_EQ(r.extra[1].requirement_id, "PRIV-10");
  EXPECT_EQ(r.extra[1].verdict, Verdict::kPass);
  EXPECT_EQ(clock.slept(), 0ms) << "the expected pushes were there: no waiting";
}

TEST_F(PushStep, WaitsOnTheClockForMissingPushes) {
  StepResult r = Run(Push(1));
  ASSERT_EQ(r.extra.size(), 1u);
  EXPECT_NE(r.extra[0].verdict, Verdict::kPass);
  EXPECT_EQ(r.extra[0].actual, "0 push(es)");
  EXPECT_GE(clock.slept(), 3000ms);
}

TEST_F(PushStep, APushCarryingContentTheRelayWasGivenFailsPriv10) {
  oracle.NoteContent(std::string(R"({"payload":{"data":"the-secret-payload"}})"));
  proxy.pushes = {PushTo(url, R"({"data":"the-secret-payload"})")};
  StepResult r = Run(Push(1));
  ASSERT_EQ(r.extra.size(), 2u);
  EXPECT_EQ(r.extra[1].requirement_id, "PRIV-10");
  EXPECT_NE(r.extra[1].verdict, Verdict::kPass);
  EXPECT_THAT(r.extra[1].message, HasSubstr("carries content the relay was given"));
  EXPECT_THAT(r.extra[1].message, ::testing::Not(HasSubstr("the-secret-payload")));
}

TEST_F(SimpleSteps, AStepsImplicitChecksFallBackToItsFirstExpectationThenTheScenario) {
  StepContext cx = Context();
  Step st;
  EXPECT_EQ(cx.DefaultReq(st), "RELAY-01");
  Expectation e;
  e.req = "RELAY-17";
  st.expect = {e};
  EXPECT_EQ(cx.DefaultReq(st), "RELAY-17");
  st.req = "SEC-01";
  EXPECT_EQ(cx.DefaultReq(st), "SEC-01");
}

TEST_F(SimpleSteps, ControlsAndSavingStepsCheckThePlainProtocolUnlessTheyNameReadings) {
  scenario.interpretation_refs = {"C-11"};
  StepContext cx = Context();
  Step plain;
  EXPECT_EQ(cx.StepRefs(plain), std::vector<std::string>{"C-11"});
  Step control;
  control.control = true;
  EXPECT_TRUE(cx.StepRefs(control).empty());
  Step saving;
  saving.save = {{"id", "json.id"}};
  EXPECT_TRUE(cx.StepRefs(saving).empty());
  saving.interpretation_refs = std::vector<std::string>{"C-21"};
  EXPECT_EQ(cx.StepRefs(saving), std::vector<std::string>{"C-21"});
}

}  // namespace
}  // namespace tigress::harness
