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

// A manifest with only a device (the reference device's command), speaking `spec`.
Manifest DeviceOnly(const std::string& name, Revision spec = kDefaultRevision) {
  Manifest m;
  m.name = name;
  m.device = RoleSpec{.command = {"/bin/true"}, .ready = {}, .base_url = ""};
  m.spec = spec;
  return m;
}

ScenarioSet OneScenario(std::vector<Role> roles) {
  ScenarioSet set;
  Scenario sc;
  sc.id = "interop/x";
  sc.roles = std::move(roles);
  set.scenarios.push_back(std::move(sc));
  return set;
}

TEST(AddReferenceForMissingRoles, LetsTheReferenceRelayPlayWhatNoManifestProvides) {
  RunOptions o;
  o.manifests = {DeviceOnly("my-device")};
  auto note = AddReferenceForMissingRoles(
      o, OneScenario({Role::kRelay, Role::kInitiator, Role::kRecipient}), TIGRESS_SOURCE_DIR,
      "tigress-harness run --impl my-device.yaml");
  ASSERT_TRUE(note) << note.error().Message();
  EXPECT_EQ(*note, "tigress-harness: no --impl manifest provides a relay; the reference relay (" +
                       std::string(TIGRESS_SOURCE_DIR) +
                       "/implementations/reference.yaml) plays it");
  ASSERT_EQ(o.manifests.size(), 2u);
  EXPECT_EQ(o.manifests[1].name, "reference");
  EXPECT_TRUE(o.manifests[1].relay.has_value());
  EXPECT_FALSE(o.manifests[1].device.has_value()) << "the vendor's device plays both devices";
}

TEST(AddReferenceForMissingRoles, TakesTheSct04ReferenceForAnSct04Manifest) {
  RunOptions o;
  o.manifests = {DeviceOnly("my-device", Revision::kSct04)};
  auto note = AddReferenceForMissingRoles(o, OneScenario({Role::kRelay, Role::kInitiator}),
                                          TIGRESS_SOURCE_DIR, "x");
  ASSERT_TRUE(note) << note.error().Message();
  EXPECT_NE(note->find("implementations/reference-sct04.yaml) plays it"), std::string::npos)
      << *note;
  ASSERT_EQ(o.manifests.size(), 2u);
  EXPECT_EQ(o.manifests[1].spec, Revision::kSct04);
}

TEST(AddReferenceForMissingRoles, AddsNothingWhenTheSelectedCasesNeedNoMissingRole) {
  RunOptions o;
  o.manifests = {DeviceOnly("my-device")};
  auto note =
      AddReferenceForMissingRoles(o, OneScenario({Role::kInitiator}), TIGRESS_SOURCE_DIR, "x");
  ASSERT_TRUE(note);
  EXPECT_EQ(*note, "");
  EXPECT_EQ(o.manifests.size(), 1u);
  o.filters = {"relay/*"};
  auto filtered = AddReferenceForMissingRoles(o, OneScenario({Role::kRelay, Role::kInitiator}),
                                              TIGRESS_SOURCE_DIR, "x");
  ASSERT_TRUE(filtered);
  EXPECT_EQ(*filtered, "") << "the only case needing a relay is not selected";
}

TEST(AddReferenceForMissingRoles, StopsWithTheCommandToRunWhenTheReferenceIsNotFound) {
  RunOptions o;
  o.manifests = {DeviceOnly("my-device")};
  auto note = AddReferenceForMissingRoles(o, OneScenario({Role::kRelay, Role::kInitiator}),
                                          "/nonexistent", "tigress-harness run --impl d.yaml");
  ASSERT_FALSE(note);
  EXPECT_TRUE(note.error().Is(Errc::kCommandUsage));
  EXPECT_NE(note.error().detail.find("tigress-harness run --impl d.yaml --impl "
                                     "/path/to/tigress/implementations/reference.yaml"),
            std::string::npos)
      << note.error().detail;
  EXPECT_EQ(o.manifests.size(), 1u);
}

}  // namespace
}  // namespace tigress::harness
