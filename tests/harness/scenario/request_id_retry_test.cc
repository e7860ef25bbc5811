#include "harness/scenario/request_id_retry.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tigress::harness {
namespace {

using ::testing::HasSubstr;

constexpr char kInitClaim[] = "0b7d5f0e-1c2a-4e3b-9f4d-5a6b7c8d9e0f";
constexpr char kRecipClaim[] = "7c1e2d3f-4a5b-4c6d-8e7f-901a2b3c4d5e";
constexpr char kMailbox[] = "https://relay.example/v1/m/5d4c3b2a-1908-4776-8554-433221100fed";

har::Exchange Request(std::string method, std::string url, const std::string& claim,
                      const std::string& request_id, std::string body, int status,
                      std::string response = "") {
  har::Exchange x;
  x.method = std::move(method);
  x.url = std::move(url);
  x.request_headers = {{"Mailbox-Device-Claim", claim}, {"Content-Type", "application/json"}};
  if (!request_id.empty()) x.request_headers.emplace_back("Mailbox-Request-ID", request_id);
  x.request_body = std::move(body);
  x.status = status;
  x.response_body = std::move(response);
  return x;
}

const std::string kCreated = std::string(R"({"urlLink":")") + kMailbox + R"("})";

har::Exchange Create(const std::string& rid, int status, std::string response = kCreated) {
  return Request("POST", "https://relay.example/v1/m", kInitClaim, rid, R"({"payload":1})", status,
                 std::move(response));
}

har::Exchange Update(const std::string& rid, int status, std::string body = R"({"payload":2})") {
  return Request("PUT", kMailbox, kInitClaim, rid, std::move(body), status);
}

har::Exchange Read(const std::string& claim) {
  return Request("POST", kMailbox, claim, "", "", 200, "{}");
}

struct Judged {
  std::string req;
  bool ok;
};

std::vector<Judged> Check(std::vector<har::Exchange> xs, RetriesAsked asked,
                          std::vector<Finding>* all = nullptr) {
  har::Transcript t;
  t.exchanges = std::move(xs);
  OracleInput in;
  in.transcript = &t;
  std::vector<Finding> found = RequestIdRetryFindings(in, asked);
  std::vector<Judged> out;
  for (const Finding& f : found) {
    EXPECT_EQ(f.check, "request-id-retried");
    out.push_back({f.requirement, f.ok});
  }
  if (all != nullptr) *all = found;
  return out;
}

MATCHER_P2(IsJudged, req, ok, "") { return arg.req == req && arg.ok == ok; }

const std::string kRid1 = "11111111-2222-4333-8444-555555555555";
const std::string kRid2 = "66666666-7777-4888-9999-aaaaaaaaaaaa";

TEST(RequestIdRetry, AResentCreateAndUpdateAnswered201AndFollowedPass) {
  const auto got = Check({Create(kRid1, 200), Create(kRid1, 201), Read(kRecipClaim),
                          Update(kRid2, 200), Update(kRid2, 201), Read(kRecipClaim)},
                         {2, 0});
  EXPECT_THAT(got, ::testing::ElementsAre(IsJudged("REPLAY-02", true), IsJudged("REPLAY-12", true),
                                          IsJudged("INIT-07", true), IsJudged("REPLAY-09", true),
                                          IsJudged("REPLAY-03", true), IsJudged("INIT-07", true),
                                          IsJudged("REPLAY-09", true)));
}

TEST(RequestIdRetry, ADeviceThatIgnoresTheFlagFailsInit07AndReplay09) {
  std::vector<Finding> all;
  const auto got = Check(
      {Create(kRid1, 200), Read(kRecipClaim), Update(kRid2, 200), Read(kRecipClaim)}, {2, 0}, &all);
  EXPECT_THAT(got,
              ::testing::ElementsAre(IsJudged("INIT-07", false), IsJudged("REPLAY-09", false)));
  ASSERT_FALSE(all.empty());
  EXPECT_THAT(all[0].message, HasSubstr("asked the initiator for 2 resend(s)"));
  EXPECT_EQ(all[0].actual, "0 resent request(s)");
}

TEST(RequestIdRetry, ARelayThatActsTwiceFailsReplay02AndA201WithoutBodyClaimsNoReplay12) {
  EXPECT_THAT(Check({Create(kRid1, 200), Create(kRid1, 200), Read(kRecipClaim)}, {1, 0}),
              ::testing::ElementsAre(IsJudged("REPLAY-02", false), IsJudged("INIT-07", true),
                                     IsJudged("REPLAY-09", true)));
  EXPECT_THAT(Check({Create(kRid1, 200), Create(kRid1, 201, ""), Read(kRecipClaim)}, {1, 0}),
              ::testing::ElementsAre(IsJudged("REPLAY-02", true), IsJudged("INIT-07", true),
                                     IsJudged("REPLAY-09", true)));
  EXPECT_THAT(Check({Create(kRid1, 200), Create(kRid1, 201, R"({"urlLink":"https://x/v1/m/1"})"),
                     Read(kRecipClaim)},
                    {1, 0}),
              ::testing::Contains(IsJudged("REPLAY-12", false)));
}

TEST(RequestIdRetry, AResendWithAnotherBodyOrNothingAfterItFailsTheDeviceSide) {
  EXPECT_THAT(Check({Create(kRid1, 200), Update(kRid2, 200), Update(kRid2, 201, R"({"x":3})"),
                     Read(kRecipClaim)},
                    {1, 0}),
              ::testing::ElementsAre(IsJudged("REPLAY-03", true), IsJudged("INIT-07", false),
                                     IsJudged("REPLAY-09", false)));
  EXPECT_THAT(Check({Create(kRid1, 200), Update(kRid2, 200), Update(kRid2, 201)}, {1, 0}),
              ::testing::ElementsAre(IsJudged("REPLAY-03", true), IsJudged("INIT-07", false),
                                     IsJudged("REPLAY-09", false)));
}

TEST(RequestIdRetry, NothingIsJudgedWhenTheScenarioAskedForNoResend) {
  EXPECT_TRUE(Check({Create(kRid1, 200), Create(kRid1, 201)}, {0, 0}).empty());
}

TEST(RequestIdRetry, CountsTheCallsThatAskForAResendPerRole) {
  Scenario sc;
  const auto call = [](Role role, nlohmann::json params) {
    Step st;
    st.action = CallAction{.role = role, .method = "send", .params = std::move(params)};
    return st;
  };
  sc.steps.push_back(call(Role::kInitiator, {{"requestIdRetry", true}}));
  sc.steps.push_back(call(Role::kInitiator, {{"requestIdRetry", false}}));
  sc.steps.push_back(call(Role::kRecipient, nlohmann::json::object()));
  Step group;
  group.action =
      ParallelAction{.repeat = 0, .steps = {call(Role::kRecipient, {{"requestIdRetry", true}})}};
  sc.steps.push_back(group);
  EXPECT_EQ(RequestIdRetriesAsked(sc, Role::kInitiator), 1u);
  EXPECT_EQ(RequestIdRetriesAsked(sc, Role::kRecipient), 1u);
}

}  // namespace
}  // namespace tigress::harness
