#include <atomic>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/harness/run/fake_ports.h"

namespace tigress::harness {
namespace {

using fakes::FakeTransport;
using fakes::StatusIn;
using reports::Verdict;
using ::testing::HasSubstr;

class ParallelStep : public fakes::StepTest {};

TEST_F(ParallelStep, MergesTheLanesChecksPerExpectationAndCountsTheirStatuses) {
  std::atomic<int> n{0};
  // The third request to arrive loses the race.
  transport.handler = [&n](const HttpRequest&) {
    return Result<HttpResponse>(FakeTransport::Ok(++n == 3 ? 409 : 201));
  };
  Step create;
  create.where = "t.yaml:4";
  create.action = HttpAction{.method = "POST", .path = "/v1/m"};
  create.expect = {StatusIn({201})};
  Step group;
  group.where = "t.yaml:3";
  group.action = ParallelAction{.repeat = 3, .steps = {create}};
  Expectation two = StatusIn({201});
  two.subject = Expectation::Subject::kCount;
  two.min = 2;
  two.max = 2;
  group.expect = {two};

  StepResult r = Run(group);
  EXPECT_EQ(transport.sent().size(), 3u);
  ASSERT_EQ(r.checks.size(), 2u);
  const reports::Assertion& merged = r.checks[0].second;
  EXPECT_EQ(r.checks[0].first, &group.Inner()[0].expect[0]);
  EXPECT_NE(merged.verdict, Verdict::kPass);
  EXPECT_THAT(merged.message, ::testing::StartsWith("1 of 3 lanes failed: "));
  EXPECT_THAT(merged.message, HasSubstr("(lane "));
  const reports::Assertion& count = r.checks[1].second;
  EXPECT_EQ(count.verdict, Verdict::kPass);
  EXPECT_EQ(count.actual, "2 (2x 201, 1x 409)");
  EXPECT_FALSE(r.stop) << "lanes do not stop the case unless the harness broke";
}

TEST_F(ParallelStep, WithoutRepeatEachStepIsALaneAndAllPassingSaysSo) {
  Step a;
  a.where = "t.yaml:4";
  a.action = HttpAction{.method = "GET", .path = "/a"};
  a.expect = {StatusIn({200})};
  Step b = a;
  b.As<HttpAction>().path = "/b";
  Step group;
  group.where = "t.yaml:3";
  group.action = ParallelAction{.steps = {a, b}};
  StepResult r = Run(group);
  ASSERT_EQ(r.checks.size(), 2u);
  EXPECT_THAT(r.checks[0].second.message, ::testing::StartsWith("all 1 lanes: "));
  std::vector<std::string> urls;
  for (const auto& req : transport.sent()) urls.push_back(req.url);
  EXPECT_THAT(urls, ::testing::UnorderedElementsAre("https://127.0.0.1:4000/a",
                                                    "https://127.0.0.1:4000/b"));
}

TEST_F(ParallelStep, ALaneTheHarnessCouldNotRunStopsTheCase) {
  transport.handler = [](const HttpRequest&) {
    return Result<HttpResponse>(MakeError(Errc::kHttpTransport, "connection refused"));
  };
  Step get;
  get.where = "t.yaml:4";
  get.action = HttpAction{.method = "GET", .path = "/v1/m"};
  Step group;
  group.where = "t.yaml:3";
  group.action = ParallelAction{.repeat = 5, .steps = {get}};
  StepResult r = Run(group);
  EXPECT_TRUE(r.stop);
  EXPECT_EQ(r.extra.size(), 3u) << "at most three lanes' errors are kept";
  EXPECT_EQ(r.extra[0].verdict, Verdict::kError);
}

}  // namespace
}  // namespace tigress::harness
