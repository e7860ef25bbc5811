#include "harness/cli/run_command.h"

#include <gtest/gtest.h>

namespace tigress::harness {
namespace {

const std::string kReference = std::string(TIGRESS_SOURCE_DIR) + "/implementations/reference.yaml";

TEST(BuildRunOptions, TurnsTheFlagsIntoRunOptions) {
  RunFlags f;
  f.impls = {kReference};
  f.filters = {"relay/*,device/*"};
  f.keywords = {"push"};
  f.seed = 42;
  f.jobs = 3;
  f.shard = "2/4";
  f.profile = "lenient";
  f.report.run_id = "r";
  f.timeouts.call_ms = 1234;
  SourcePaths paths;
  paths.scenarios = "/s";
  paths.bindir = "/b";
  auto o = BuildRunOptions(f, paths, "tigress-harness run");
  ASSERT_TRUE(o) << o.error().Message();
  ASSERT_EQ(o->manifests.size(), 1U);
  EXPECT_EQ(o->filters, (std::vector<std::string>{"relay/*", "device/*"}));
  EXPECT_EQ(o->keywords, std::vector<std::string>{"push"});
  EXPECT_EQ(o->seed, 42U);
  EXPECT_EQ(o->jobs, 3);
  EXPECT_EQ(o->shard_index, 1);
  EXPECT_EQ(o->shard_count, 4);
  EXPECT_EQ(o->profile, reports::Profile::kLenient);
  EXPECT_EQ(o->run_id, "r");
  EXPECT_EQ(o->call_timeout.count(), 1234);
  EXPECT_EQ(o->scenarios_dir, std::filesystem::path("/s"));
  EXPECT_EQ(o->bindir, std::filesystem::path("/b"));
  EXPECT_EQ(o->command_line, "tigress-harness run");
  EXPECT_FALSE(o->expectations.has_value());
}

TEST(BuildRunOptions, RefusesTwoManifestsWithOneName) {
  RunFlags f;
  f.impls = {kReference, kReference};
  auto o = BuildRunOptions(f, {}, "");
  ASSERT_FALSE(o);
  EXPECT_TRUE(o.error().Is(Errc::kCommandUsage));
  EXPECT_EQ(o.error().detail, "two manifests are named 'reference'");
}

TEST(BuildRunOptions, PassesAnUnreadableManifestsErrorOn) {
  RunFlags f;
  f.impls = {"/nonexistent/impl.yaml"};
  auto o = BuildRunOptions(f, {}, "");
  ASSERT_FALSE(o);
  EXPECT_TRUE(o.error().Is(Errc::kManifestInvalid));
}

TEST(BuildRunOptions, RefusesABadShard) {
  RunFlags f;
  f.impls = {kReference};
  f.shard = "5/4";
  auto o = BuildRunOptions(f, {}, "");
  ASSERT_FALSE(o);
  EXPECT_TRUE(o.error().Is(Errc::kCommandUsage));
}

}  // namespace
}  // namespace tigress::harness
