#include "harness/scenario/scenario.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reports/requirements.h"
#include "tests/support/scratch_dir.h"

namespace tigress::harness {
namespace {

using ::testing::HasSubstr;

bool Known(const std::string& id) {
  return id == "RELAY-01" || id == "RELAY-31" || id == "REPLAY-01";
}

// One edit of a scenario's text (its first `from` becomes `to`) and a part of
// the loader's message refusing the result.
struct Refusal {
  std::string from;
  std::string to;
  std::string message;
};

// `ExpectRefused` loads `text` as `file` with each edit applied alone and
// expects a refusal that names `place` ("file:line") and the edit's message.
void ExpectRefused(const std::string& text, const std::string& file, const std::string& place,
                   const std::vector<Refusal>& edits) {
  for (const Refusal& edit : edits) {
    std::string bad = text;
    bad.replace(bad.find(edit.from), edit.from.size(), edit.to);
    auto refused = LoadScenarioString(bad, file, Known);
    ASSERT_FALSE(refused) << edit.to;
    EXPECT_THAT(refused.error().Message(), HasSubstr(place)) << edit.to;
    EXPECT_THAT(refused.error().Message(), HasSubstr(edit.message)) << edit.to;
  }
}

constexpr char kGood[] = R"(id: relay/create-basic
title: Create returns a urlLink
requirements: [RELAY-01]
keywords: [smoke]
roles: [relay]
steps:
  - http:
      method: POST
      path: /v1/m
      headers: {Mailbox-Device-Claim: "${uuid:init}", Mailbox-Request-ID: "${fresh_uuid}"}
      body: {payload: {type: AEAD_AES_128_GCM, data: "${b64:44}"}}
    save: {create: json}
    expect:
      - {req: RELAY-01, status: 200}
      - {req: REPLAY-01, header: Mailbox-Request-ID, present: true}
      - {req: RELAY-01, json: urlLink, matches: "^https://"}
  - parallel:
      repeat: 4
      steps:
        - http: {method: POST, url: "${create.urlLink}", headers: {Mailbox-Device-Claim: "${uuid}"}}
          expect: [{req: RELAY-31, status: [200, 401]}]
    expect:
      - {req: RELAY-31, count: {status: 200}, equals: 1}
)";

TEST(ScenarioLoader, LoadsStepsExpectationsAndRequirements) {
  auto s = LoadScenarioString(kGood, "relay/create.yaml", Known);
  ASSERT_TRUE(s) << s.error().Message();
  EXPECT_EQ(s->id, "relay/create-basic");
  EXPECT_EQ(s->Area(), "relay");
  ASSERT_EQ(s->steps.size(), 2u);
  EXPECT_EQ(s->steps[0].kind(), Step::Kind::kHttp);
  EXPECT_EQ(s->steps[0].expect.size(), 3u);
  EXPECT_EQ(s->steps[0].save.at(0), (std::pair<std::string, std::string>("create", "json")));
  EXPECT_EQ(s->steps[1].As<ParallelAction>().repeat, 4);
  EXPECT_EQ(s->steps[1].expect[0].subject, Expectation::Subject::kCount);
  // Requirements cited by expectations join the declared ones.
  EXPECT_THAT(s->requirements,
              ::testing::UnorderedElementsAre("RELAY-01", "REPLAY-01", "RELAY-31"));
  EXPECT_EQ(s->steps[0].expect[0].where, "relay/create.yaml:14");
}

struct BadCase {
  std::string text;
  std::string message;
};

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return text.replace(pos, from.size(), to);
}

class ScenarioErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(ScenarioErrors, NameFileAndLine) {
  auto s = LoadScenarioString(GetParam().text, "s.yaml", Known);
  ASSERT_FALSE(s);
  EXPECT_THAT(s.error().Message(), HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ScenarioErrors,
    ::testing::Values(
        BadCase{Replace(kGood, "keywords:", "keywrods:"),
                "s.yaml:4: unknown key 'keywrods' in scenario"},
        BadCase{Replace(kGood, "      method: POST\n      path", "      methd: POST\n      path"),
                "s.yaml:8: unknown key 'methd' in http"},
        BadCase{Replace(kGood, "{req: RELAY-01, status: 200}", "{req: RELAY-99, status: 200}"),
                "s.yaml:14: unknown requirement ID 'RELAY-99'"},
        BadCase{Replace(kGood, "requirements: [RELAY-01]", "requirements: [NOPE-1]"),
                "s.yaml:3: unknown requirement ID 'NOPE-1'"},
        BadCase{Replace(kGood, "${create.urlLink}", "${creat.urlLink}"),
                "s.yaml:20: undefined variable ${creat.urlLink}"},
        BadCase{Replace(kGood, "{req: RELAY-01, status: 200}", "{status: 200}"),
                "s.yaml:14: every expectation must cite a requirement"},
        BadCase{Replace(kGood, "matches: \"^https://\"", "matches: \"([\""),
                "invalid regular expression"},
        BadCase{Replace(kGood, "roles: [relay]", "roles: [initiator]"),
                "an http step needs the relay role"},
        BadCase{Replace(kGood, "{req: RELAY-31, count: {status: 200}, equals: 1}",
                        "{req: RELAY-31, status: 200}"),
                "s.yaml:23: status applies to http steps"},
        BadCase{Replace(kGood, "id: relay/create-basic", "id: Bad Id"), "s.yaml:1: id 'Bad Id'"},
        // Found by fuzz/scenario_fuzz.cc: a scalar reads as a list of one,
        // and the error pointed at its element 0, which threw.
        BadCase{Replace(kGood, "roles: [relay]", "roles: [relay]\nfeatures: quantum"),
                "s.yaml:6: unknown feature 'quantum'"}));

TEST(ScenarioLoader, RefusesDuplicateIdsAcrossFiles) {
  test_support::ScratchDir scratch("tigress-scn");
  const std::filesystem::path dir = scratch.path();
  std::filesystem::create_directories(dir / "a");
  std::ofstream(dir / "a" / "one.yaml") << kGood;
  std::ofstream(dir / "two.yaml") << kGood;
  auto set = LoadScenarioDir(dir, Known);
  ASSERT_FALSE(set);
  EXPECT_THAT(set.error().Message(),
              HasSubstr("two.yaml:1: duplicate scenario id 'relay/create-basic'"));
  EXPECT_THAT(set.error().Message(), HasSubstr("one.yaml"));
}

TEST(ScenarioLoader, VariablesSavedLaterAreNotVisibleEarlier) {
  std::string text = Replace(kGood, "Mailbox-Request-ID: \"${fresh_uuid}\"",
                             "Mailbox-Request-ID: \"${create.x}\"");
  auto s = LoadScenarioString(text, "s.yaml", Known);
  ASSERT_FALSE(s);
  EXPECT_TRUE(s.error().Is(Errc::kVariableUndefined));
  EXPECT_THAT(s.error().Message(), HasSubstr("s.yaml:10"));
}

TEST(ScenarioLoader, LoadsEveryShippedScenarioAgainstTheCatalogue) {
  auto catalog =
      reports::LoadCatalog(std::string(TIGRESS_SOURCE_DIR) + "/vectors/requirements.json");
  ASSERT_TRUE(catalog) << catalog.error().Message();
  auto set = LoadScenarioDir(std::string(TIGRESS_SOURCE_DIR) + "/scenarios",
                             [&](const std::string& id) { return catalog->Find(id) != nullptr; });
  ASSERT_TRUE(set) << set.error().Message();
  EXPECT_GE(set->scenarios.size(), 25u);
  for (const auto& s : set->scenarios) {
    EXPECT_EQ(s.file.string().rfind("scenarios/" + s.Area() + "/", 0), 0u)
        << s.id << " lives in " << s.file << ", not under its area";
  }
}

TEST(ScenarioLoader, ReadsRepeatedHeadersSlowAbandonedIdleAndLateRoles) {
  constexpr char kText[] = R"(id: relay/odd-clients
title: t
requirements: [RELAY-01]
roles: [relay, recipient]
start_late: [recipient]
steps:
  - http:
      method: POST
      path: /v1/m
      headers: [{Mailbox-Device-Claim: a}, {Mailbox-Device-Claim: b}]
      body: "{}"
      slow: {chunk: 8, pause: 50ms}
      abandon_after: 3
    expect: [{req: RELAY-01, status: [0, 400]}]
  - http: {method: GET, path: /v1/m, connect_only: 1s, tls_max: "1.1"}
    expect: [{req: RELAY-01, status: 0}]
)";
  auto s = LoadScenarioString(kText, "relay/odd-clients.yaml", Known);
  ASSERT_TRUE(s) << s.error().Message();
  const HttpAction& first = s->steps[0].As<HttpAction>();
  ASSERT_EQ(first.headers.size(), 2u);
  EXPECT_EQ(first.headers[0].second, "a");
  EXPECT_EQ(first.headers[1].second, "b");
  EXPECT_EQ(first.slow_chunk, 8u);
  EXPECT_EQ(first.slow_pause_ms, 50);
  EXPECT_EQ(first.abandon_after, 3u);
  EXPECT_EQ(s->steps[1].As<HttpAction>().connect_only_ms, 1000);
  EXPECT_EQ(s->steps[1].As<HttpAction>().tls_max, "1.1");
  EXPECT_EQ(s->start_late, std::vector<Role>{Role::kRecipient});

  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"start_late: [recipient]", "start_late: [initiator]"},
           {"tls_max: \"1.1\"", "tls_max: \"1.4\""},
           {"slow: {chunk: 8, pause: 50ms}", "slow: {chunk: 0, pause: 50ms}"},
           {"[{Mailbox-Device-Claim: a}, {Mailbox-Device-Claim: b}]",
            "[{Mailbox-Device-Claim: a, X: b}]"}}) {
    std::string bad = kText;
    bad.replace(bad.find(from), from.size(), to);
    EXPECT_FALSE(LoadScenarioString(bad, "relay/odd-clients.yaml", Known)) << to;
  }
}

TEST(ScenarioLoader, ReadsARestartStepOnlyForADeclaredDeviceRole) {
  constexpr char kText[] = R"(id: interop/restart
title: t
requirements: [RELAY-01]
roles: [relay, initiator]
steps:
  - restart: initiator
  - call: {role: initiator, method: receive}
    expect: [{req: RELAY-01, ok: true}]
)";
  auto s = LoadScenarioString(kText, "interop/restart.yaml", Known);
  ASSERT_TRUE(s) << s.error().Message();
  EXPECT_EQ(s->steps[0].kind(), Step::Kind::kRestart);
  EXPECT_EQ(s->steps[0].As<RestartAction>().role, Role::kInitiator);

  ExpectRefused(
      kText, "interop/restart.yaml", "interop/restart.yaml:6",
      {{"restart: initiator", "restart: recipient", "not a device role"},
       {"restart: initiator", "restart: relay", "not a device role"},
       {"restart: initiator", "restart: initiator\n    expect: [{req: RELAY-01, ok: true}]",
        "no expect or save"}});
}

TEST(ScenarioLoader, ReadsAPushStepAndRefusesBadCountsAndDurations) {
  constexpr char kText[] = R"(id: relay/push
title: t
requirements: [RELAY-01]
roles: [relay]
steps:
  - push: {url: "${relay.push_url}init", count: 0, within: 250ms}
    req: RELAY-01
)";
  auto s = LoadScenarioString(kText, "relay/push.yaml", Known);
  ASSERT_TRUE(s) << s.error().Message();
  EXPECT_EQ(s->steps[0].kind(), Step::Kind::kPush);
  EXPECT_EQ(s->steps[0].As<PushAction>().count, 0);
  EXPECT_EQ(s->steps[0].As<PushAction>().within_ms, 250);

  ExpectRefused(kText, "relay/push.yaml", "relay/push.yaml:6",
                {{"count: 0", "count: -1", "integer from 0 to 100"},
                 {"within: 250ms", "within: 2m", "at most 1 minute"},
                 {"url: \"${relay.push_url}init\", ", "", "needs 'url'"},
                 {"roles: [relay]", "roles: [initiator]", "needs the relay role"}});
}

TEST(ScenarioLoader, ReadsDeclaredPersonalDataAndRefusesEntriesTooShortToMean) {
  constexpr char kText[] = R"(id: privacy/declared
title: t
requirements: [RELAY-01]
roles: [relay]
personal_data: ["Alice Example", "12 Elm Street"]
steps:
  - http: {method: GET, path: /v1/m}
    expect: [{req: RELAY-01, status: 405}]
)";
  auto s = LoadScenarioString(kText, "privacy/declared.yaml", Known);
  ASSERT_TRUE(s) << s.error().Message();
  EXPECT_EQ(s->personal_data, (std::vector<std::string>{"Alice Example", "12 Elm Street"}));

  ExpectRefused(kText, "privacy/declared.yaml", "privacy/declared.yaml:5",
                {{"\"12 Elm Street\"", "Al", "shorter than 3"}});
}

TEST(ScenarioExpectations, DescribeAnOperandThatIsNotUtf8WithoutThrowing) {
  // Found by fuzz/scenario_fuzz.cc: a YAML operand may hold any octets.
  Expectation e;
  e.subject = Expectation::Subject::kJson;
  e.target = "title";
  e.op = Expectation::Op::kEquals;
  e.operand = std::string("Car \xAB key");
  EXPECT_EQ(ExpectationToString(e), "json title equals \"Car \xEF\xBF\xBD key\"");
}

TEST(ScenarioRoles, ParseRoleReadsExactlyTheNamesRoleNameWrites) {
  for (Role r : kAllRoles) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_EQ(RoleName(Role::kRelay), "relay");
  EXPECT_EQ(RoleName(Role::kInitiator), "initiator");
  EXPECT_EQ(RoleName(Role::kRecipient), "recipient");
  EXPECT_EQ(ParseRole("Relay"), std::nullopt);
  EXPECT_EQ(ParseRole(""), std::nullopt);
  EXPECT_EQ(ParseRole("device"), std::nullopt);
  EXPECT_EQ(RoleNames({Role::kRecipient, Role::kRelay}),
            (std::vector<std::string>{"recipient", "relay"}));
}

TEST(ScenarioRoles, KeepTheDeclaredOrderAndAnswerHasRoleAndStartsLate) {
  auto s = LoadScenarioString(R"(id: interop/late
title: t
requirements: [RELAY-01]
roles: [recipient, relay, initiator]
start_late: [recipient]
steps:
  - call: {role: recipient, method: receive}
    expect: [{req: RELAY-01, ok: true}]
)",
                              "interop/late.yaml", Known);
  ASSERT_TRUE(s) << s.error().Message();
  EXPECT_EQ(s->roles, (std::vector<Role>{Role::kRecipient, Role::kRelay, Role::kInitiator}));
  EXPECT_TRUE(s->StartsLate(Role::kRecipient));
  EXPECT_FALSE(s->StartsLate(Role::kInitiator));
  EXPECT_EQ(s->steps[0].As<CallAction>().role, Role::kRecipient);
  Scenario relay_only;
  relay_only.roles = {Role::kRelay};
  EXPECT_TRUE(relay_only.HasRole(Role::kRelay));
  EXPECT_FALSE(relay_only.HasRole(Role::kInitiator));
}

TEST(ScenarioLoader, ReadsAHostileStepsModeAndRefusesAnUnknownOneByName) {
  constexpr char kText[] = R"(id: relay/hostile
title: t
requirements: [RELAY-01]
roles: [relay]
steps:
  - hostile: swap-mailbox
  - http: {method: GET, path: /v1/m}
    expect: [{req: RELAY-01, status: 200}]
)";
  auto s = LoadScenarioString(kText, "relay/hostile.yaml", Known);
  ASSERT_TRUE(s) << s.error().Message();
  EXPECT_EQ(s->steps[0].kind(), Step::Kind::kHostile);
  EXPECT_EQ(s->steps[0].As<HostileAction>().mode, HostileMode::kSwapMailbox);

  std::string bad = kText;
  bad.replace(bad.find("swap-mailbox"), 12, "Swap-Mailbox");
  auto refused = LoadScenarioString(bad, "relay/hostile.yaml", Known);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().Message(),
            "harness.scenario_invalid: relay/hostile.yaml:6: hostile is one of off, flip-bit, "
            "truncate, replay-older, swap-mailbox, request-id-mismatch, untrusted-cert");
}

}  // namespace
}  // namespace tigress::harness
