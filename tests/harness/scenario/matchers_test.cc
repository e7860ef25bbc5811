#include "harness/scenario/matchers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tigress::harness {
namespace {

using Json = nlohmann::json;

Expectation Exp(Expectation::Subject s, Expectation::Op op, std::string target = "") {
  Expectation e;
  e.req = "RELAY-01";
  e.subject = s;
  e.op = op;
  e.target = std::move(target);
  return e;
}

class HttpMatch : public ::testing::Test {
 protected:
  std::vector<std::pair<std::string, std::string>> headers_{{"Content-Type", "application/json"},
                                                            {"Mailbox-Request-ID", "abc"},
                                                            {"Set-Cookie", "a=1"},
                                                            {"Set-Cookie", "b=2"}};
  std::string body_ =
      R"({"urlLink":"https://h/v1/m/x","isPushNotificationSupported":false,"n":[1,{"k":"v"}]})";
  Json json_ = Json::parse(body_);
  HttpView View(int status = 200) { return HttpView{status, &headers_, &body_, &json_}; }
};

TEST_F(HttpMatch, StatusAcceptsAnyListedCode) {
  auto e = Exp(Expectation::Subject::kStatus, Expectation::Op::kNone);
  e.codes = {400, 401};
  EXPECT_TRUE(MatchHttp(e, View(401), nullptr).ok);
  MatchResult r = MatchHttp(e, View(200), nullptr);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.expected, "status one of [400, 401]");
  EXPECT_EQ(r.actual, "200");
}

TEST_F(HttpMatch, HeaderNamesAreCaseInsensitive) {
  auto e = Exp(Expectation::Subject::kHeader, Expectation::Op::kEquals, "mailbox-request-id");
  EXPECT_TRUE(MatchHttp(e, View(), "abc").ok);
  EXPECT_FALSE(MatchHttp(e, View(), "abd").ok);
}

TEST_F(HttpMatch, HeaderAbsentAndPresent) {
  EXPECT_TRUE(
      MatchHttp(Exp(Expectation::Subject::kHeader, Expectation::Op::kAbsent, "WWW-Authenticate"),
                View(), nullptr)
          .ok);
  EXPECT_FALSE(
      MatchHttp(Exp(Expectation::Subject::kHeader, Expectation::Op::kPresent, "WWW-Authenticate"),
                View(), nullptr)
          .ok);
  EXPECT_FALSE(
      MatchHttp(Exp(Expectation::Subject::kHeader, Expectation::Op::kAbsent, "content-type"),
                View(), nullptr)
          .ok);
}

TEST_F(HttpMatch, RepeatedHeaderMatchesAnyValueButNotContainsMustHoldForAll) {
  EXPECT_TRUE(MatchHttp(Exp(Expectation::Subject::kHeader, Expectation::Op::kEquals, "set-cookie"),
                        View(), "b=2")
                  .ok);
  EXPECT_FALSE(
      MatchHttp(Exp(Expectation::Subject::kHeader, Expectation::Op::kNotContains, "set-cookie"),
                View(), "b=")
          .ok);
}

TEST_F(HttpMatch, JsonPathsMatchByEqualsRegexTypeAndOneOf) {
  EXPECT_TRUE(MatchHttp(Exp(Expectation::Subject::kJson, Expectation::Op::kMatches, "urlLink"),
                        View(), "^https://")
                  .ok);
  EXPECT_TRUE(MatchHttp(Exp(Expectation::Subject::kJson, Expectation::Op::kType,
                            "isPushNotificationSupported"),
                        View(), "boolean")
                  .ok);
  EXPECT_FALSE(MatchHttp(Exp(Expectation::Subject::kJson, Expectation::Op::kType, "urlLink"),
                         View(), "boolean")
                   .ok);
  EXPECT_TRUE(
      MatchHttp(Exp(Expectation::Subject::kJson, Expectation::Op::kEquals, "n[1].k"), View(), "v")
          .ok);
  EXPECT_TRUE(MatchHttp(Exp(Expectation::Subject::kJson, Expectation::Op::kOneOf, "n[0]"), View(),
                        Json{2, 1})
                  .ok);
  EXPECT_FALSE(MatchHttp(Exp(Expectation::Subject::kJson, Expectation::Op::kOneOf, "n[0]"), View(),
                         Json{2, 3})
                   .ok);
  EXPECT_TRUE(MatchHttp(Exp(Expectation::Subject::kJson, Expectation::Op::kAbsent, "payload"),
                        View(), nullptr)
                  .ok);
  EXPECT_FALSE(MatchHttp(Exp(Expectation::Subject::kJson, Expectation::Op::kPresent, "n[5]"),
                         View(), nullptr)
                   .ok);
}

TEST_F(HttpMatch, NumbersCompareByValue) {
  std::string body = R"({"status": 401.0})";
  Json j = Json::parse(body);
  HttpView v{200, &headers_, &body, &j};
  EXPECT_TRUE(
      MatchHttp(Exp(Expectation::Subject::kJson, Expectation::Op::kEquals, "status"), v, 401).ok);
}

TEST_F(HttpMatch, JsonExpectationOnANonJsonBodyFailsAndSaysWhy) {
  std::string body = "<html>";
  HttpView v{200, &headers_, &body, nullptr};
  MatchResult r =
      MatchHttp(Exp(Expectation::Subject::kJson, Expectation::Op::kPresent, "urlLink"), v, nullptr);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.actual, "the body is not JSON");
  EXPECT_TRUE(
      MatchHttp(Exp(Expectation::Subject::kJson, Expectation::Op::kAbsent, "urlLink"), v, nullptr)
          .ok);
}

TEST_F(HttpMatch, BodyContainsAndNotContains) {
  EXPECT_TRUE(
      MatchHttp(Exp(Expectation::Subject::kBody, Expectation::Op::kContains), View(), "urlLink")
          .ok);
  MatchResult r =
      MatchHttp(Exp(Expectation::Subject::kBody, Expectation::Op::kNotContains), View(), "urlLink");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.actual, "the value contains it");
}

TEST(CallMatch, ErrorCodesAndErrorData) {
  Json doc{{"error", {{"code", 1002}, {"message", "relay refused"}, {"data", {{"status", 401}}}}}};
  auto e = Exp(Expectation::Subject::kError, Expectation::Op::kNone);
  e.codes = {1002};
  EXPECT_TRUE(MatchCall(e, doc, nullptr).ok);
  e.codes = {1001};
  MatchResult r = MatchCall(e, doc, nullptr);
  EXPECT_FALSE(r.ok);
  EXPECT_THAT(r.actual, ::testing::HasSubstr("error 1002 (relay refused)"));
  EXPECT_TRUE(
      MatchCall(Exp(Expectation::Subject::kJson, Expectation::Op::kEquals, "error.data.status"),
                doc, 401)
          .ok);
  EXPECT_FALSE(MatchCall(Exp(Expectation::Subject::kOk, Expectation::Op::kNone), doc, nullptr).ok);
  EXPECT_TRUE(MatchCall(Exp(Expectation::Subject::kOk, Expectation::Op::kNone),
                        Json{{"result", Json::object()}}, nullptr)
                  .ok);
}

TEST(CallMatch, ErrorCodeZeroAcceptsSuccessOnlyWhenListed) {
  auto e = Exp(Expectation::Subject::kError, Expectation::Op::kNone);
  const Json ok{{"result", Json::object()}};
  const Json refused{{"error", {{"code", -32602}, {"message", "bad vertical"}}}};
  e.codes = {0, -32602};
  EXPECT_TRUE(MatchCall(e, ok, nullptr).ok);
  EXPECT_TRUE(MatchCall(e, refused, nullptr).ok);
  e.codes = {-32602};
  EXPECT_FALSE(MatchCall(e, ok, nullptr).ok);
  e.codes = {0, 1005};
  EXPECT_FALSE(MatchCall(e, refused, nullptr).ok);
}

TEST(CountMatch, CountsStatusesAgainstARange) {
  auto e = Exp(Expectation::Subject::kCount, Expectation::Op::kRange);
  e.codes = {200};
  e.min = e.max = 1;
  EXPECT_TRUE(MatchCount(e, {401, 200, 401}).ok);
  MatchResult r = MatchCount(e, {200, 200, 401, 0});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.actual, "2 (1x no response, 2x 200, 1x 401)");
  EXPECT_EQ(r.expected, "exactly 1 response(s) with status 200");
}

}  // namespace
}  // namespace tigress::harness
