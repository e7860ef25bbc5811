// What the relay bounds (docs/relay.md "What the relay bounds"), through the
// service: the maximum lifetime, the mailbox caps, claims compared as UUIDs
// and the webhook allow-list.
#include <algorithm>
#include <cctype>

#include "tests/relay/relay_service_fixture.h"

namespace tigress::relay {
namespace {

using namespace service_test;
using namespace std::chrono_literals;

class RelayBoundsTest : public RelayServiceTest {
 protected:
  void SetUpWith(std::function<void(RelayOptions&)> configure) {
    configure_ = std::move(configure);
    RelayServiceTest::SetUp();
  }
  void SetUp() override {}

  HttpResponse CreateAs(const std::string& claim, std::optional<std::string> expiration = {}) {
    return Call("POST", "/v1/m", Auth(claim), CreateBody("RWD", expiration).dump());
  }
  static std::string ErrorToken(const HttpResponse& r) {
    Json j = Json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].get<std::string>() : "";
  }
  static std::string Upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
  }
  bool PushSupported(const std::string& token_url) {
    Json body = CreateBody();
    body["notificationToken"] = {{"type", "webhook"}, {"tokenData", token_url}};
    HttpResponse r = Call("POST", "/v1/m", Auth(NewUuidV4()), body.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 && Json::parse(r.body).at("isPushNotificationSupported").get<bool>();
  }
};

INSTANTIATE_TEST_SUITE_P(Stores, RelayBoundsTest, ::testing::Values("memory", "sqlite"));

// ---- Lifetime (C-23: a distant expiration is refused, not clamped) ----

TEST_P(RelayBoundsTest, AnExpirationBeyondTheMaximumLifetimeIs400AndCreatesNothing) {
  SetUpWith([](RelayOptions& o) { o.max_lifetime = 2h; });
  EXPECT_EQ(CreateAs(initiator_, FormatUtc(now_ + 2h)).status, 200);
  HttpResponse r = CreateAs(initiator_, FormatUtc(now_ + 2h + 1s));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorToken(r), "json.field_invalid");
  EXPECT_THAT(r.body, ::testing::HasSubstr("maximum lifetime"));
  EXPECT_EQ(Count(), 1u);
}

TEST_P(RelayBoundsTest, TheDefaultMaximumAcceptsThirtyDaysAndRefusesTheYear9999) {
  SetUpWith(nullptr);
  EXPECT_EQ(CreateAs(initiator_, FormatUtc(now_ + std::chrono::days(30))).status, 200);
  EXPECT_EQ(CreateAs(initiator_, "9999-12-31T23:59:59Z").status, 400);
  EXPECT_EQ(Count(), 1u);
}

// ---- Mailbox caps ----

TEST_P(RelayBoundsTest, AClaimAtItsCapGets429UntilOneOfItsMailboxesIsDeleted) {
  SetUpWith([](RelayOptions& o) { o.quota.per_claim = 2; });
  std::string first = CreateFrom(CreateBody());
  CreateFrom(CreateBody());
  HttpResponse refused = CreateAs(initiator_);
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(ErrorToken(refused), "relay.claim_quota");
  EXPECT_EQ(CreateAs(Upper(initiator_)).status, 429) << "the same claim in upper case";
  EXPECT_EQ(CreateAs(stranger_).status, 200) << "another claim has its own cap";
  EXPECT_EQ(Call("DELETE", first, Auth(initiator_)).status, 200);
  EXPECT_EQ(CreateAs(initiator_).status, 200);
  EXPECT_EQ(Count(), 3u);
}

TEST_P(RelayBoundsTest, ExpiredMailboxesStopCountingAgainstTheCap) {
  SetUpWith([](RelayOptions& o) { o.quota.per_claim = 1; });
  EXPECT_EQ(CreateAs(initiator_, FormatUtc(now_ + 10s)).status, 200);
  EXPECT_EQ(CreateAs(initiator_).status, 429);
  now_ += 10s;  // gone from its expiration instant on (C-22)
  EXPECT_EQ(CreateAs(initiator_).status, 200);
}

TEST_P(RelayBoundsTest, ARepeatedCreateDoesNotCountTwice) {
  SetUpWith([](RelayOptions& o) { o.quota.per_claim = 2; });
  std::string rid = NewUuidV4();
  EXPECT_EQ(Call("POST", "/v1/m", Auth(initiator_, rid), CreateBody().dump()).status, 200);
  EXPECT_EQ(Call("POST", "/v1/m", Auth(initiator_, rid), CreateBody().dump()).status, 201);
  EXPECT_EQ(CreateAs(initiator_).status, 200);
}

TEST_P(RelayBoundsTest, TheTotalCapGets507WithTheStoreFullToken) {
  SetUpWith([](RelayOptions& o) { o.quota.mailboxes = 2; });
  EXPECT_EQ(CreateAs(initiator_).status, 200);
  EXPECT_EQ(CreateAs(recipient_).status, 200);
  HttpResponse r = CreateAs(stranger_);
  EXPECT_EQ(r.status, 507);
  EXPECT_EQ(ErrorToken(r), "relay.store_full");
  EXPECT_EQ(Count(), 2u);
  EXPECT_THAT(log_, ::testing::HasSubstr("store full"));
}

TEST_P(RelayBoundsTest, TheByteCapRefusesACreateOrAnUpdateThatWouldPassIt) {
  // One mailbox of the fixture's create body counts a little under 200 octets.
  SetUpWith([](RelayOptions& o) { o.quota.bytes = 300; });
  std::string path = CreateFrom(CreateBody());
  EXPECT_EQ(CreateAs(stranger_).status, 507);
  HttpResponse big =
      Call("PUT", path, Auth(initiator_),
           Json{{"payload", {{"type", "AEAD_AES_128_GCM"}, {"data", Data(2, 300)}}}}.dump());
  EXPECT_EQ(big.status, 507);
  EXPECT_EQ(ReadData(path, initiator_), Data(1)) << "the refused update changed nothing";
  EXPECT_EQ(Write(path, initiator_, 3).status, 200) << "an update of the same size fits";
  EXPECT_EQ(Call("DELETE", path, Auth(initiator_)).status, 200);
  EXPECT_EQ(CreateAs(stranger_).status, 200);
}

// ---- Claims compare as UUIDs ----

TEST_P(RelayBoundsTest, TheInitiatorsClaimInUpperCaseIsTheInitiatorNotTheRecipient) {
  SetUpWith(nullptr);
  std::string path = CreateMailbox();
  EXPECT_EQ(Read(path, Upper(initiator_)).status, 200);
  EXPECT_EQ(Write(path, Upper(initiator_), 5).status, 200);
  EXPECT_EQ(Read(path, recipient_).status, 200) << "the upper-case read must not have bound";
  EXPECT_EQ(ReadData(path, Upper(recipient_)), Data(5));
  EXPECT_EQ(Read(path, stranger_).status, 401);
}

TEST_P(RelayBoundsTest, AClaimCreatedInUpperCaseIsTheSameClaimInLowerCase) {
  SetUpWith(nullptr);
  HttpResponse created = CreateAs(Upper(initiator_));
  ASSERT_EQ(created.status, 200);
  std::string path = PathOf(created);
  EXPECT_EQ(Call("DELETE", path, Auth(initiator_)).status, 200);
}

// ---- Webhook allow-list ----

TEST_P(RelayBoundsTest, AllowListBypassUrlsGetNoPush) {
  SetUpWith([](RelayOptions& o) { o.webhook_allow = {"https://hooks.example"}; });
  EXPECT_TRUE(PushSupported("https://hooks.example/push/1"));
  EXPECT_TRUE(PushSupported("https://HOOKS.example:443/push/1"));
  for (const char* bypass :
       {"https://hooks.example.evil.com/", "https://hooks.example@10.0.0.5/",
        "https://hooks.example:pw@10.0.0.5/", "https://user@hooks.example/",
        "https://hooks.example:8443/", "http://hooks.example/", "https://hooks.examplex/"}) {
    EXPECT_FALSE(PushSupported(bypass)) << bypass;
  }
}

TEST_P(RelayBoundsTest, AnInvalidAllowListTurnsPushOffAndSaysSo) {
  SetUpWith([](RelayOptions& o) { o.webhook_allow = {"https://ok.example/", "hooks.example"}; });
  EXPECT_FALSE(PushSupported("https://ok.example/a"));
  EXPECT_THAT(log_, ::testing::HasSubstr("push disabled"));
}

}  // namespace
}  // namespace tigress::relay
