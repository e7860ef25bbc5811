#include "tests/relay/relay_service_fixture.h"

namespace tigress::relay {
namespace {

using namespace service_test;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

INSTANTIATE_TEST_SUITE_P(Stores, RelayServiceTest, ::testing::Values("memory", "sqlite"));

// ---- A.3 state machine: ABSENT ----

TEST_P(RelayServiceTest, AbsentMailboxIs404OnEveryEndpointWhateverTheClaim) {
  std::string path = "/v1/m/" + NewUuidV4();
  EXPECT_EQ(Call("GET", path).status, 404);
  EXPECT_EQ(Read(path, stranger_).status, 404);
  EXPECT_EQ(Write(path, stranger_, 2).status, 404);
  EXPECT_EQ(Call("DELETE", path, Auth(stranger_)).status, 404);
  EXPECT_EQ(Call("PATCH", path, Auth(stranger_)).status, 404);
}

// ---- OPEN ----

TEST_P(RelayServiceTest, CreateReturnsUrlLinkWithV4IdAndPushFlag) {
  HttpResponse r = Call("POST", "/v1/m", Auth(initiator_), CreateBody().dump());
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(FindHeader(r.headers, "content-type"), "application/json");
  Json j = Json::parse(r.body);
  std::string url = j.at("urlLink").get<std::string>();
  ASSERT_EQ(url.rfind("https://relay.test/v1/m/", 0), 0u) << url;
  EXPECT_TRUE(IsUuidV4(url.substr(std::string("https://relay.test/v1/m/").size())));
  EXPECT_FALSE(j.at("isPushNotificationSupported").get<bool>());
}

TEST_P(RelayServiceTest, InitiatorReadsInOpenStateWithoutBinding) {
  std::string path = CreateMailbox();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(ReadData(path, initiator_), Data(1));
  EXPECT_EQ(ReadData(path, recipient_), Data(1));  // the recipient slot was still free (RELAY-57)
  EXPECT_EQ(Read(path, stranger_).status, 401);
}

TEST_P(RelayServiceTest, ARepeatedClaimOrRequestIdHeaderIsRefusedWithoutActing) {
  std::string path = CreateMailbox();
  ASSERT_EQ(ReadData(path, recipient_), Data(1));
  // Whichever value comes first, two claims are ambiguous: 400, no binding,
  // no write, no delete.
  HeaderList two_claims{{"Mailbox-Device-Claim", recipient_}, {"Mailbox-Device-Claim", stranger_}};
  EXPECT_EQ(Call("POST", path, two_claims).status, 400);
  HeaderList two_claims_rid = two_claims;
  two_claims_rid.emplace_back("Mailbox-Request-ID", NewUuidV4());
  EXPECT_EQ(Call("PUT", path, two_claims_rid, Json{{"payload", PayloadJson(2)}}.dump()).status,
            400);
  EXPECT_EQ(Call("DELETE", path, two_claims_rid).status, 400);
  HeaderList two_rids = Auth(recipient_);
  two_rids.emplace_back("mailbox-request-id", NewUuidV4());
  EXPECT_EQ(Call("PUT", path, two_rids, Json{{"payload", PayloadJson(3)}}.dump()).status, 400);
  EXPECT_EQ(Call("POST", "/v1/m", two_claims_rid, CreateBody().dump()).status, 400);
  EXPECT_EQ(ReadData(path, recipient_), Data(1));
  EXPECT_EQ(Count(), 1u);
}

TEST_P(RelayServiceTest, ANumberThatOverflowsADoubleIs400Not500) {
  HttpResponse r = Call("POST", "/v1/m", Auth(initiator_), R"({"payload": 1e999999})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Count(), 0u);
}

TEST_P(RelayServiceTest, ReadSecureReturnsPayloadDisplayInformationAndExactExpiration) {
  std::string path = CreateMailbox();
  HttpResponse r = Read(path, initiator_);
  ASSERT_EQ(r.status, 200);
  Json j = Json::parse(r.body);
  EXPECT_EQ(j.at("payload"), PayloadJson(1));
  EXPECT_EQ(j.at("displayInformation"), DisplayJson());
  EXPECT_EQ(j.at("expiration"), "2026-11-28T13:00:00Z");
}

TEST_P(RelayServiceTest, UpdateInOpenStateIsInitiatorOnlyAndDoesNotBind) {
  std::string path = CreateMailbox();
  EXPECT_EQ(Write(path, stranger_, 3).status, 401);
  EXPECT_EQ(ReadData(path, initiator_), Data(1));
  EXPECT_EQ(Write(path, initiator_, 2).status, 200);
  EXPECT_EQ(ReadData(path, initiator_), Data(2));
  // The refused writer was not bound: it can still become the recipient.
  EXPECT_EQ(ReadData(path, stranger_), Data(2));
}

TEST_P(RelayServiceTest, DeleteInOpenStateIsInitiatorOnly) {
  std::string path = CreateMailbox();
  EXPECT_EQ(Call("DELETE", path, Auth(stranger_)).status, 401);
  EXPECT_EQ(Count(), 1u);
  EXPECT_EQ(Call("DELETE", path, Auth(initiator_)).status, 200);
  EXPECT_EQ(Count(), 0u);
}

TEST_P(RelayServiceTest, RelinquishInOpenStateIsRefusedForEveryone) {
  std::string path = CreateMailbox();
  EXPECT_EQ(Call("PATCH", path, Auth(initiator_)).status, 401);
  EXPECT_EQ(Call("PATCH", path, Auth(stranger_)).status, 401);
}

TEST_P(RelayServiceTest, PreviewNeverBinds) {
  std::string path = CreateMailbox();
  EXPECT_EQ(Call("GET", path, Auth(stranger_)).status, 200);
  EXPECT_EQ(ReadData(path, recipient_), Data(1));
  EXPECT_EQ(Read(path, stranger_).status, 401);
}

// ---- BOUND ----

TEST_P(RelayServiceTest, FirstNewClaimBindsAndEveryOtherClaimGets401) {
  std::string path = CreateMailbox();
  ASSERT_EQ(Read(path, recipient_).status, 200);
  HttpResponse refused = Read(path, stranger_);
  EXPECT_EQ(refused.status, 401);
  EXPECT_THAT(refused.body, Not(HasSubstr(Data(1))));
  EXPECT_EQ(Write(path, stranger_, 9).status, 401);
  EXPECT_EQ(Call("DELETE", path, Auth(stranger_)).status, 401);
  EXPECT_EQ(Call("PATCH", path, Auth(stranger_)).status, 401);
  EXPECT_EQ(ReadData(path, recipient_), Data(1));
  EXPECT_EQ(ReadData(path, initiator_), Data(1));
}

TEST_P(RelayServiceTest, BoundPartiesExchangeMessagesBackToBack) {
  std::string path = CreateMailbox();
  ASSERT_EQ(Read(path, recipient_).status, 200);
  EXPECT_EQ(Write(path, recipient_, 2).status, 200);
  EXPECT_EQ(ReadData(path, initiator_), Data(2));
  EXPECT_EQ(Write(path, initiator_, 3).status, 200);
  EXPECT_EQ(Write(path, initiator_, 4).status, 200);  // no turn-taking (RELAY-43)
  EXPECT_EQ(ReadData(path, recipient_), Data(4));
}

TEST_P(RelayServiceTest, RecipientDeleteMakesEveryEndpoint404) {
  std::string path = CreateMailbox();
  ASSERT_EQ(Read(path, recipient_).status, 200);
  EXPECT_EQ(Call("DELETE", path, Auth(recipient_)).status, 200);
  EXPECT_EQ(Call("GET", path).status, 404);
  EXPECT_EQ(Read(path, initiator_).status, 404);
  EXPECT_EQ(Write(path, initiator_, 5).status, 404);
  EXPECT_EQ(Call("DELETE", path, Auth(initiator_)).status, 404);
  EXPECT_EQ(Call("PATCH", path, Auth(recipient_)).status, 404);
}

TEST_P(RelayServiceTest, RelinquishByRecipientReopensTheMailboxForANewRecipient) {
  std::string path = CreateMailbox();
  ASSERT_EQ(Read(path, recipient_).status, 200);
  EXPECT_EQ(Call("PATCH", path, Auth(initiator_)).status, 401);
  EXPECT_EQ(Call("PATCH", path, Auth(stranger_)).status, 401);
  HttpResponse r = Call("PATCH", path, Auth(recipient_));
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(ReadData(path, stranger_), Data(1));
  EXPECT_EQ(Write(path, stranger_, 6).status, 200);
  EXPECT_EQ(Read(path, recipient_).status, 401);  // the old recipient lost its rights (C-19)
}

// ---- GONE by expiry (fake clock) ----

TEST_P(RelayServiceTest, MailboxIs404FromTheExpirationInstantOn) {
  std::string path = CreateMailbox();
  ASSERT_EQ(Read(path, recipient_).status, 200);
  now_ += 1h - 1s;
  EXPECT_EQ(Read(path, recipient_).status, 200);
  now_ += 1s;
  EXPECT_EQ(Call("GET", path).status, 404);
  EXPECT_EQ(Read(path, initiator_).status, 404);
  EXPECT_EQ(Write(path, initiator_, 2).status, 404);
  EXPECT_EQ(Call("DELETE", path, Auth(initiator_)).status, 404);
  EXPECT_EQ(Call("PATCH", path, Auth(recipient_)).status, 404);
  EXPECT_EQ(Count(), 1u);
  EXPECT_EQ(service_->Sweep().value(), 1u);
  EXPECT_EQ(Count(), 0u);
}

TEST_P(RelayServiceTest, SweepKeepsLiveMailboxes) {
  CreateMailbox();
  now_ += 59min;
  EXPECT_EQ(service_->Sweep().value(), 0u);
  EXPECT_EQ(Count(), 1u);
}

TEST_P(RelayServiceTest, AbsentConfigurationGetsTheDefaultLifetime) {
  Json body{{"payload", PayloadJson(1)}, {"displayInformation", DisplayJson()}};
  HttpResponse r = Call("POST", "/v1/m", Auth(initiator_), body.dump());
  ASSERT_EQ(r.status, 200);
  std::string path = PathOf(r);
  HttpResponse read = Read(path, initiator_);
  EXPECT_EQ(Json::parse(read.body).at("expiration"), "2026-11-29T12:00:00Z");
  // Default rights are R and D: no writes (RELAY-12), deletes allowed.
  EXPECT_EQ(Write(path, initiator_, 2).status, 401);
  EXPECT_EQ(Call("DELETE", path, Auth(initiator_)).status, 200);
}

TEST_P(RelayServiceTest, PastOrMalformedExpirationIs400AndCreatesNothing) {
  for (const char* exp :
       {"2022-02-08T14:57:22Z", "2026-11-28T12:00:00Z", "tomorrow", "2026-13-01T00:00:00Z"}) {
    HttpResponse r = Call("POST", "/v1/m", Auth(initiator_), CreateBody("RWD", exp).dump());
    EXPECT_EQ(r.status, 400) << exp;
    EXPECT_THAT(r.body, Not(HasSubstr("urlLink")));
  }
  EXPECT_EQ(Count(), 0u);
}

TEST_P(RelayServiceTest, ExpirationWithOffsetIsNormalisedToTheWireForm) {
  HttpResponse r = Call("POST", "/v1/m", Auth(initiator_),
                        CreateBody("RWD", "2026-11-28T15:30:00.25+02:00").dump());
  ASSERT_EQ(r.status, 200);
  std::string path = PathOf(r);
  EXPECT_EQ(Json::parse(Read(path, initiator_).body).at("expiration"), "2026-11-28T13:30:00Z");
}

// ---- Access rights (C-17, C-18) ----

TEST_P(RelayServiceTest, AccessRightsGateBothParties) {
  struct Case {
    const char* rights;
    int read, write, del;
  };
  for (Case c : {Case{"R", 200, 401, 401}, Case{"RD", 200, 401, 200}, Case{"RW", 200, 200, 401},
                 Case{"WD", 401, 200, 200}, Case{"RWD", 200, 200, 200}}) {
    for (bool as_recipient : {false, true}) {
      std::string path = CreateMailbox(c.rights);
      std::string who = initiator_;
      if (as_recipient) {
        who = NewUuidV4();
        if (std::string(c.rights).find('R') != std::string::npos) {
          ASSERT_EQ(Read(path, who).status, 200);
        }
      }
      if (as_recipient && c.read == 401) {
        // Without R nobody can bind, so a would-be recipient is refused everything.
        EXPECT_EQ(Read(path, who).status, 401) << c.rights;
        EXPECT_EQ(Write(path, who, 7).status, 401) << c.rights;
        continue;
      }
      EXPECT_EQ(Read(path, who).status, c.read)
          << c.rights << (as_recipient ? " recipient" : " initiator");
      EXPECT_EQ(Write(path, who, 7).status, c.write)
          << c.rights << (as_recipient ? " recipient" : " initiator");
      EXPECT_EQ(Call("DELETE", path, Auth(who)).status, c.del) << c.rights;
    }
  }
  EXPECT_EQ(Call("GET", CreateMailbox("W")).status, 200);  // the preview is not gated by R (C-18)
}

TEST_P(RelayServiceTest, InvalidAccessRightsAre400) {
  for (const char* rights : {"X", "", "rwd", "RR", "RWDX"}) {
    EXPECT_EQ(Call("POST", "/v1/m", Auth(initiator_), CreateBody(rights).dump()).status, 400)
        << rights;
  }
  EXPECT_EQ(Count(), 0u);
}

}  // namespace
}  // namespace tigress::relay
