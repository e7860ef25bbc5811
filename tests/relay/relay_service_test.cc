#include "reference/relay/relay_service.h"

#include <filesystem>
#include <mutex>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "protocol/uuid.h"
#include "reference/relay/memory_store.h"
#include "reference/relay/sqlite_store.h"
#include "tests/support/scratch_dir.h"

namespace tigress::relay {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

class RecordingNotifier : public PushNotifier {
 public:
  void Notify(const NotificationToken& token, std::string_view body) override {
    calls.push_back(token.token_data);
    bodies.emplace_back(body);
  }
  std::vector<std::string> bodies;
  std::vector<std::string> calls;
};

std::string Data(std::uint8_t fill, std::size_t n = 40) { return Base64Encode(Bytes(n, fill)); }

Json PayloadJson(std::uint8_t fill) {
  return Json{{"type", "AEAD_AES_128_GCM"}, {"data", Data(fill)}};
}

Json DisplayJson() {
  return Json{{"title", "Car key"},
              {"description", "Shared by Alice"},
              {"imageURL", "https://img.test/car.png"}};
}

// Both stores run every service test: the service's behaviour must not
// depend on which one backs it.
class RelayServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "memory") {
      store_ = MakeMemoryStore();
    } else {
      store_ = OpenSqliteStore((dir_.path() / "relay.sqlite3").string()).value();
    }
    now_ = std::chrono::sys_days{std::chrono::year{2026} / 11 / 28} + 12h;
    RelayOptions options;
    options.public_url = "https://relay.test/";
    options.webhook_allow = {"https://push.test/"};
    options.max_body = 4096;
    options.clock = [this] { return now_; };
    options.log = [this](std::string_view line) {
      std::lock_guard lock(log_mu_);
      log_ += std::string(line) + "\n";
    };
    options.notifier = &notifier_;
    options.fault = fault_;
    options.quirks = quirks_;
    service_ = std::make_unique<RelayService>(*store_, options);
  }

  HttpResponse Call(std::string method, std::string target, HeaderList headers = {},
                    std::string body = {}) {
    return service_->Handle(
        HttpRequest{std::move(method), std::move(target), std::move(headers), std::move(body)});
  }
  static HeaderList Auth(const std::string& claim, std::optional<std::string> rid = NewUuidV4()) {
    HeaderList h{{"Mailbox-Device-Claim", claim}};
    if (rid) h.emplace_back("Mailbox-Request-ID", *rid);
    return h;
  }
  Json CreateBody(std::optional<std::string> rights = "RWD",
                  std::optional<std::string> expiration = std::nullopt, std::uint8_t fill = 1) {
    Json j{{"payload", PayloadJson(fill)}, {"displayInformation", DisplayJson()}};
    Json config = Json::object();
    if (rights) config["accessRights"] = *rights;
    config["expiration"] = expiration ? *expiration : FormatUtc(now_ + 1h);
    j["mailboxConfiguration"] = config;
    return j;
  }
  // Creates a mailbox as `initiator_` and returns its path "/v1/m/<id>".
  std::string CreateMailbox(std::optional<std::string> rights = "RWD") {
    HttpResponse r = Call("POST", "/v1/m", Auth(initiator_), CreateBody(rights).dump());
    EXPECT_EQ(r.status, 200) << r.body;
    std::string url = Json::parse(r.body).at("urlLink").get<std::string>();
    return url.substr(std::string("https://relay.test").size());
  }
  HttpResponse Read(const std::string& path, const std::string& claim) {
    return Call("POST", path, Auth(claim));
  }
  HttpResponse Write(const std::string& path, const std::string& claim, std::uint8_t fill,
                     const std::string& rid = NewUuidV4()) {
    return Call("PUT", path, Auth(claim, rid), Json{{"payload", PayloadJson(fill)}}.dump());
  }
  std::string ReadData(const std::string& path, const std::string& claim) {
    HttpResponse r = Read(path, claim);
    if (r.status != 200) return "status " + std::to_string(r.status);
    return Json::parse(r.body).at("payload").at("data").get<std::string>();
  }
  std::size_t Count() { return store_->CountMailboxes().value(); }

  Fault fault_ = Fault::kNone;
  QuirkSet quirks_;
  test_support::ScratchDir dir_{"tigress-relay-service"};
  std::unique_ptr<MailboxStore> store_;
  std::chrono::system_clock::time_point now_;
  RecordingNotifier notifier_;
  std::mutex log_mu_;
  std::string log_;
  std::unique_ptr<RelayService> service_;
  std::string initiator_ = NewUuidV4();
  std::string recipient_ = NewUuidV4();
  std::string stranger_ = NewUuidV4();
};

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
  std::string path = Json::parse(r.body).at("urlLink").get<std::string>().substr(18);
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
  std::string path = Json::parse(r.body).at("urlLink").get<std::string>().substr(18);
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

// ---- REPLAY ----

TEST_P(RelayServiceTest, RequestIdIsEchoedOnEveryResponse) {
  std::string path = CreateMailbox();
  std::string rid = "A0B1C2D3-E4F5-4A6B-8C7D-8E9FA0B1C2D3";  // mixed case, echoed byte for byte
  auto echo = [&](const HttpResponse& r) { return FindHeader(r.headers, "Mailbox-Request-ID"); };
  EXPECT_EQ(echo(Call("POST", "/v1/m", Auth(stranger_, rid), CreateBody().dump())), rid);  // 200
  EXPECT_EQ(echo(Call("POST", "/v1/m", Auth(stranger_, rid), CreateBody().dump())), rid);  // 201
  EXPECT_EQ(echo(Call("POST", "/v1/m", Auth(stranger_, rid), "{")), rid);                  // 400
  EXPECT_EQ(
      echo(Call("PUT", path, Auth(NewUuidV4(), rid), Json{{"payload", PayloadJson(2)}}.dump())),
      rid);                                                                            // 401
  EXPECT_EQ(echo(Call("DELETE", "/v1/m/" + NewUuidV4(), Auth(stranger_, rid))), rid);  // 404
  EXPECT_EQ(echo(Call("POST", path, Auth(initiator_, rid))), rid);                     // read 200
  EXPECT_EQ(echo(Call("GET", path, {{"mailbox-request-id", rid}})), rid);              // preview
  EXPECT_EQ(echo(Call("OPTIONS", path, {{"Mailbox-Request-ID", rid}})), rid);          // 405
  EXPECT_EQ(echo(Call("POST", "/v1/m", Auth(stranger_, rid), std::string(5000, ' '))), rid);  // 413
  EXPECT_EQ(echo(Call("POST", "/v1/m", {{"Mailbox-Request-ID", "not-a-uuid"}}, "{}")),
            "not-a-uuid");
}

TEST_P(RelayServiceTest, DuplicateCreateGets201WithTheOriginalBodyAndNoSecondMailbox) {
  std::string rid = NewUuidV4();
  HttpResponse first = Call("POST", "/v1/m", Auth(initiator_, rid), CreateBody().dump());
  ASSERT_EQ(first.status, 200);
  HttpResponse again = Call("POST", "/v1/m", Auth(initiator_, rid), CreateBody().dump());
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(Json::parse(again.body), Json::parse(first.body));
  EXPECT_EQ(Count(), 1u);
  // A new request ID from the same claim is a new mailbox.
  EXPECT_EQ(Call("POST", "/v1/m", Auth(initiator_), CreateBody().dump()).status, 200);
  EXPECT_EQ(Count(), 2u);
}

TEST_P(RelayServiceTest, DuplicateUpdateGets201AndIgnoresTheNewBody) {
  std::string path = CreateMailbox();
  std::string rid = NewUuidV4();
  EXPECT_EQ(Write(path, initiator_, 2, rid).status, 200);
  HttpResponse dup = Write(path, initiator_, 3, rid);
  EXPECT_EQ(dup.status, 201);
  EXPECT_TRUE(Json::parse(dup.body).at("isPushNotificationSupported").is_boolean());
  EXPECT_EQ(ReadData(path, initiator_), Data(2));
}

TEST_P(RelayServiceTest, DuplicateRelinquishGets201AndDoesNotUnbindTheNextRecipient) {
  std::string path = CreateMailbox();
  ASSERT_EQ(Read(path, recipient_).status, 200);
  std::string rid = NewUuidV4();
  EXPECT_EQ(Call("PATCH", path, Auth(recipient_, rid)).status, 200);
  ASSERT_EQ(Read(path, stranger_).status, 200);
  EXPECT_EQ(Call("PATCH", path, Auth(recipient_, rid)).status, 201);
  EXPECT_EQ(Write(path, stranger_, 4).status, 200);  // still bound
  EXPECT_EQ(Read(path, recipient_).status, 401);
}

TEST_P(RelayServiceTest, DuplicateDeleteIs404) {
  std::string path = CreateMailbox();
  std::string rid = NewUuidV4();
  EXPECT_EQ(Call("DELETE", path, Auth(initiator_, rid)).status, 200);
  EXPECT_EQ(Call("DELETE", path, Auth(initiator_, rid)).status, 404);
  EXPECT_EQ(Call("DELETE", path, Auth(initiator_)).status, 404);
}

TEST_P(RelayServiceTest, SameRequestIdFromAnotherClaimIsANewRequest) {
  std::string path = CreateMailbox();
  ASSERT_EQ(Read(path, recipient_).status, 200);
  std::string rid = NewUuidV4();
  EXPECT_EQ(Write(path, initiator_, 2, rid).status, 200);
  EXPECT_EQ(Write(path, recipient_, 3, rid).status, 200);
  EXPECT_EQ(ReadData(path, initiator_), Data(3));
}

TEST_P(RelayServiceTest, OnlyTheLastRequestIdPerClaimIsRemembered) {
  std::string path = CreateMailbox();
  std::string a = NewUuidV4(), b = NewUuidV4();
  EXPECT_EQ(Write(path, initiator_, 2, a).status, 200);
  EXPECT_EQ(Write(path, initiator_, 3, b).status, 200);
  EXPECT_EQ(Write(path, initiator_, 4, a).status, 200);
  EXPECT_EQ(ReadData(path, initiator_), Data(4));
}

TEST_P(RelayServiceTest, FailedRequestDoesNotRecordItsRequestId) {
  std::string path = CreateMailbox();
  std::string q = NewUuidV4();
  EXPECT_EQ(Call("PUT", path, Auth(initiator_, q), "{}").status, 400);
  EXPECT_EQ(Write(path, initiator_, 5, q).status, 200);
  EXPECT_EQ(ReadData(path, initiator_), Data(5));
  // Also a refused (401) write does not record: the same ID is fresh once allowed.
  std::string r = NewUuidV4();
  EXPECT_EQ(Write(path, recipient_, 6, r).status, 401);
  ASSERT_EQ(Read(path, recipient_).status, 200);
  EXPECT_EQ(Write(path, recipient_, 6, r).status, 200);
}

TEST_P(RelayServiceTest, ReadsAreIdempotentEvenWithARepeatedRequestId) {
  std::string path = CreateMailbox();
  std::string rid = NewUuidV4();
  for (int i = 0; i < 2; ++i) {
    HttpResponse r = Call("POST", path, Auth(initiator_, rid));
    EXPECT_EQ(r.status, 200);
    EXPECT_THAT(r.body, HasSubstr(Data(1)));
  }
}

TEST_P(RelayServiceTest, ReadAcceptsEmptyJsonOrGarbageBody) {
  std::string path = CreateMailbox();
  EXPECT_EQ(Call("POST", path, Auth(initiator_), "{}").status, 200);
  EXPECT_EQ(Call("POST", path, Auth(initiator_),
                 "{\"notificationToken\":{\"type\":\"x\",\"tokenData\":\"y\"}}")
                .status,
            200);
  EXPECT_EQ(Call("POST", path, Auth(initiator_), "\x01garbage").status, 200);
}

// ---- Bad input ----

TEST_P(RelayServiceTest, BadInputIsRefusedWithoutTouchingAnotherMailbox) {
  std::string path = CreateMailbox();
  ASSERT_EQ(Read(path, recipient_).status, 200);
  std::string other = "/v1/m/" + NewUuidV4();
  Json good = CreateBody();
  Json no_payload = good;
  no_payload.erase("payload");
  Json bad_b64 = good;
  bad_b64["payload"]["data"] = "!!!not base64!!!";
  Json short_data = good;
  short_data["payload"]["data"] = Data(1, 27);
  Json bad_type = good;
  bad_type["payload"]["type"] = "AES128";
  Json wrong_type = good;
  wrong_type["displayInformation"]["title"] = 7;
  Json no_image = good;
  no_image["displayInformation"].erase("imageURL");
  for (const std::string& body :
       {std::string("{"), std::string("[]"), std::string("null"), std::string(""),
        no_payload.dump(), bad_b64.dump(), short_data.dump(), bad_type.dump(), wrong_type.dump(),
        no_image.dump()}) {
    EXPECT_EQ(Call("POST", "/v1/m", Auth(initiator_), body).status, 400) << body;
  }
  // Update ignores displayInformation (C-49), so only the payload cases apply.
  for (const std::string& body :
       {std::string("{"), std::string("[]"), std::string(""), no_payload.dump(), bad_b64.dump(),
        short_data.dump(), bad_type.dump()}) {
    EXPECT_EQ(Call("PUT", path, Auth(initiator_), body).status, 400) << body;
  }
  // Headers: missing or non-UUID claim and request ID.
  EXPECT_EQ(Call("POST", "/v1/m", {{"Mailbox-Request-ID", NewUuidV4()}}, good.dump()).status, 400);
  EXPECT_EQ(Call("POST", "/v1/m", Auth("not-a-uuid"), good.dump()).status, 400);
  EXPECT_EQ(Call("POST", "/v1/m", Auth(initiator_, std::nullopt), good.dump()).status, 400);
  EXPECT_EQ(Call("POST", "/v1/m", Auth(initiator_, "12345"), good.dump()).status, 400);
  EXPECT_EQ(Call("POST", path, {}).status, 400);  // read without claim does not bind (RELAY-32)
  EXPECT_EQ(
      Call("PUT", path, Auth(initiator_, std::nullopt), Json{{"payload", PayloadJson(3)}}.dump())
          .status,
      400);
  EXPECT_EQ(Call("DELETE", path, Auth("x")).status, 400);
  EXPECT_EQ(Call("PATCH", path, Auth(recipient_, std::nullopt)).status, 400);
  // Routing.
  EXPECT_EQ(Call("POST", "/v2/m", Auth(initiator_), good.dump()).status, 404);
  EXPECT_EQ(Call("GET", "/v0/m" + path.substr(5)).status, 404);
  EXPECT_EQ(Call("GET", "/v1/m/not-a-uuid").status, 404);
  EXPECT_EQ(Call("GET", "/v1/m/").status, 404);
  EXPECT_EQ(Call("GET", "/").status, 404);
  EXPECT_EQ(Call("GET", "/v1/m").status, 405);
  EXPECT_EQ(Call("BREW", path).status, 405);
  EXPECT_EQ(Call("HEAD", "/v1/m").status, 405);
  EXPECT_EQ(Call("POST", "/v1/m", Auth(initiator_), std::string(4097, 'x')).status, 413);
  EXPECT_EQ(Call("GET", other).status, 404);
  // The real mailbox is untouched, and nothing was created.
  EXPECT_EQ(ReadData(path, recipient_), Data(1));
  EXPECT_EQ(Count(), 1u);
}

TEST_P(RelayServiceTest, InvalidUtf8IsRefusedWithoutThrowing) {
  std::string path = CreateMailbox();
  for (const std::string& body :
       {std::string("\xff\xfe"), std::string("{\"payload\": \"\xc3\x28\"}"),
        std::string("{\"x\":\xff}")}) {
    HttpResponse r = Call("POST", "/v1/m", Auth(initiator_), body);
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(Json::accept(r.body)) << r.body;
    EXPECT_EQ(Call("PUT", path, Auth(initiator_), body).status, 400);
  }
  std::string raw = CreateBody().dump();
  raw.replace(raw.find("Car key"), 7, "Car \xff\xfe");
  EXPECT_EQ(Call("POST", "/v1/m", Auth(initiator_), raw).status, 400);
}

TEST_P(RelayServiceTest, UnknownFieldsAreIgnoredAndTheClientCannotChooseTheId) {
  std::string chosen = NewUuidV4();
  Json body = CreateBody();
  body["mailboxIdentifier"] = chosen;
  body["id"] = chosen;
  body["payload"]["extra"] = true;
  HttpResponse r = Call("POST", "/v1/m", Auth(initiator_), body.dump());
  ASSERT_EQ(r.status, 200);
  EXPECT_THAT(r.body, Not(HasSubstr(chosen)));
  EXPECT_EQ(Call("GET", "/v1/m/" + chosen).status, 404);
}

TEST_P(RelayServiceTest, UpdateCannotChangeDisplayInformationOrExpiration) {
  std::string path = CreateMailbox();
  Json body{
      {"payload", PayloadJson(2)},
      {"displayInformation", {{"title", "X"}, {"description", "Y"}, {"imageURL", "https://z"}}},
      {"mailboxConfiguration", {{"expiration", "2030-01-01T00:00:00Z"}}}};
  EXPECT_EQ(Call("PUT", path, Auth(initiator_), body.dump()).status, 200);
  Json j = Json::parse(Read(path, initiator_).body);
  EXPECT_EQ(j.at("displayInformation"), DisplayJson());
  EXPECT_EQ(j.at("expiration"), "2026-11-28T13:00:00Z");
}

TEST_P(RelayServiceTest, QueryStringIsIgnoredOnEveryEndpoint) {
  HttpResponse c = Call("POST", "/v1/m?v=c", Auth(initiator_), CreateBody().dump());
  ASSERT_EQ(c.status, 200);
  std::string path = Json::parse(c.body).at("urlLink").get<std::string>().substr(18);
  EXPECT_EQ(Call("GET", path + "?v=c").status, 200);
  EXPECT_EQ(Call("POST", path + "?v=a&x=1", Auth(recipient_)).status, 200);
  EXPECT_EQ(
      Call("PUT", path + "?v=c", Auth(recipient_), Json{{"payload", PayloadJson(2)}}.dump()).status,
      200);
  EXPECT_EQ(Call("PATCH", path + "?v=c", Auth(recipient_)).status, 200);
  EXPECT_EQ(Call("DELETE", path + "?v=c", Auth(initiator_)).status, 200);
}

TEST_P(RelayServiceTest, UpperCaseMailboxIdFindsTheMailbox) {
  std::string path = CreateMailbox();
  std::string upper = path;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  upper.replace(0, 6, "/v1/m/");
  EXPECT_EQ(Call("GET", upper).status, 200);
}

// ---- Preview (A.6.4, SEC-10) ----

TEST_P(RelayServiceTest, PreviewIsEscapedOpenGraphWithRestrictiveCspAndNoPayload) {
  Json body = CreateBody();
  body["displayInformation"] = {{"title", "\"><script>alert(1)</script>"},
                                {"description", "Tom & Jerry's <b>key</b>"},
                                {"imageURL", "javascript:alert(1)"}};
  HttpResponse c = Call("POST", "/v1/m", Auth(initiator_), body.dump());
  ASSERT_EQ(c.status, 200);
  std::string path = Json::parse(c.body).at("urlLink").get<std::string>().substr(18);
  HttpResponse r = Call("GET", path);
  ASSERT_EQ(r.status, 200);
  EXPECT_THAT(*FindHeader(r.headers, "Content-Type"), HasSubstr("text/html"));
  std::string csp = FindHeader(r.headers, "Content-Security-Policy").value_or("");
  EXPECT_THAT(csp, HasSubstr("default-src 'none'"));
  EXPECT_THAT(r.body, Not(HasSubstr("<script")));
  EXPECT_THAT(r.body, HasSubstr("<meta property=\"og:title\" "
                                "content=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">"));
  EXPECT_THAT(r.body, HasSubstr("content=\"Tom &amp; Jerry&#39;s &lt;b&gt;key&lt;/b&gt;\""));
  EXPECT_THAT(r.body, Not(HasSubstr("og:image")));
  EXPECT_THAT(r.body, Not(HasSubstr("javascript:")));
  EXPECT_THAT(r.body, Not(HasSubstr(Data(1))));
}

TEST_P(RelayServiceTest, PreviewCarriesAllThreeOpenGraphTags) {
  HttpResponse r = Call("GET", CreateMailbox());
  EXPECT_THAT(r.body, HasSubstr("<meta property=\"og:title\" content=\"Car key\">"));
  EXPECT_THAT(r.body, HasSubstr("<meta property=\"og:description\" content=\"Shared by Alice\">"));
  EXPECT_THAT(r.body,
              HasSubstr("<meta property=\"og:image\" content=\"https://img.test/car.png\">"));
}

// ---- Push (RELAY-50/51, C-37/C-38) ----

TEST_P(RelayServiceTest, UpdateNotifiesTheOtherPartyOnly) {
  Json body = CreateBody();
  body["notificationToken"] = {{"type", "webhook"}, {"tokenData", "https://push.test/initiator"}};
  HttpResponse c = Call("POST", "/v1/m", Auth(initiator_), body.dump());
  ASSERT_EQ(c.status, 200);
  EXPECT_TRUE(Json::parse(c.body).at("isPushNotificationSupported").get<bool>());
  std::string path = Json::parse(c.body).at("urlLink").get<std::string>().substr(18);
  EXPECT_EQ(Write(path, initiator_, 2).status, 200);
  EXPECT_TRUE(notifier_.calls.empty());  // nobody else is bound yet
  ASSERT_EQ(Read(path, recipient_).status, 200);
  Json update{
      {"payload", PayloadJson(3)},
      {"notificationToken", {{"type", "webhook"}, {"tokenData", "https://push.test/recipient"}}}};
  HttpResponse u = Call("PUT", path, Auth(recipient_), update.dump());
  ASSERT_EQ(u.status, 200);
  EXPECT_TRUE(Json::parse(u.body).at("isPushNotificationSupported").get<bool>());
  EXPECT_EQ(notifier_.calls, std::vector<std::string>{"https://push.test/initiator"});
  EXPECT_EQ(Write(path, initiator_, 4).status, 200);
  EXPECT_EQ(notifier_.calls, (std::vector<std::string>{"https://push.test/initiator",
                                                       "https://push.test/recipient"}));
  EXPECT_EQ(notifier_.bodies, (std::vector<std::string>{"", ""}));  // PRIV-10
}

TEST_P(RelayServiceTest, UnusableTokensGiveNoPushSupport) {
  for (Json token : {Json{{"type", "com.apple.apns"}, {"tokenData", "abcd"}},
                     Json{{"type", "webhook"}, {"tokenData", "https://evil.test/x"}},
                     Json{{"type", "webhook"}, {"tokenData", "http://push.test/x"}},
                     Json{{"type", "webhook"}, {"tokenData", "https://push.test.evil/x"}}}) {
    Json body = CreateBody();
    body["notificationToken"] = token;
    HttpResponse c = Call("POST", "/v1/m", Auth(NewUuidV4()), body.dump());
    ASSERT_EQ(c.status, 200) << token;
    EXPECT_FALSE(Json::parse(c.body).at("isPushNotificationSupported").get<bool>()) << token;
  }
}

// ---- Logs ----

TEST_P(RelayServiceTest, LogsShowMethodShortIdAndStatusButNoSecrets) {
  std::string path = CreateMailbox();
  ASSERT_EQ(Read(path, recipient_).status, 200);
  std::string id = path.substr(6);
  {
    std::lock_guard lock(log_mu_);
    EXPECT_THAT(log_, HasSubstr("POST " + id.substr(0, 8) + " 200"));
    EXPECT_THAT(log_, Not(HasSubstr(id)));
    EXPECT_THAT(log_, Not(HasSubstr(initiator_.substr(0, 13))));
    EXPECT_THAT(log_, Not(HasSubstr(recipient_.substr(0, 13))));
    EXPECT_THAT(log_, Not(HasSubstr(Data(1).substr(0, 12))));
    EXPECT_THAT(log_, Not(HasSubstr("Car key")));
  }
}

// ---- Deliberate faults change exactly the behaviour they name ----

class RelayFaultTest : public RelayServiceTest {
 protected:
  void SetUpWith(Fault f) {
    fault_ = f;
    RelayServiceTest::SetUp();
  }
  void SetUp() override {}
};

INSTANTIATE_TEST_SUITE_P(Memory, RelayFaultTest, ::testing::Values("memory"));

TEST_P(RelayFaultTest, EveryFaultHasAUniqueParsableName) {
  std::set<std::string_view> names;
  for (const FaultInfo& f : AllFaults()) {
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    EXPECT_EQ(ParseFault(f.name).value(), f.fault);
  }
  EXPECT_FALSE(ParseFault("no-such-fault"));
}

TEST_P(RelayFaultTest, NoRequestIdEchoDropsTheHeader) {
  SetUpWith(Fault::kNoRequestIdEcho);
  HttpResponse r = Call("POST", "/v1/m", Auth(initiator_), CreateBody().dump());
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(FindHeader(r.headers, "Mailbox-Request-ID"));
}

TEST_P(RelayFaultTest, DuplicateReprocessedCreatesASecondMailbox) {
  SetUpWith(Fault::kDuplicateReprocessed);
  std::string rid = NewUuidV4();
  EXPECT_EQ(Call("POST", "/v1/m", Auth(initiator_, rid), CreateBody().dump()).status, 200);
  EXPECT_EQ(Call("POST", "/v1/m", Auth(initiator_, rid), CreateBody().dump()).status, 200);
  EXPECT_EQ(Count(), 2u);
}

TEST_P(RelayFaultTest, BindAnyClaimLetsAThirdClaimRead) {
  SetUpWith(Fault::kBindAnyClaim);
  std::string path = CreateMailbox();
  EXPECT_EQ(Read(path, recipient_).status, 200);
  EXPECT_EQ(Read(path, stranger_).status, 200);
}

TEST_P(RelayFaultTest, NoExpiryKeepsExpiredMailboxesReadable) {
  SetUpWith(Fault::kNoExpiry);
  std::string path = CreateMailbox();
  now_ += 2h;
  EXPECT_EQ(Read(path, initiator_).status, 200);
  EXPECT_EQ(service_->Sweep().value(), 0u);
}

TEST_P(RelayFaultTest, PreviewUnescapedEmitsRawMarkup) {
  SetUpWith(Fault::kPreviewUnescaped);
  Json body = CreateBody();
  body["displayInformation"]["title"] = "<script>x</script>";
  HttpResponse c = Call("POST", "/v1/m", Auth(initiator_), body.dump());
  std::string path = Json::parse(c.body).at("urlLink").get<std::string>().substr(18);
  EXPECT_THAT(Call("GET", path).body, HasSubstr("<script>x</script>"));
}

TEST_P(RelayFaultTest, SequentialIdsArePredictable) {
  SetUpWith(Fault::kSequentialIds);
  HttpResponse c = Call("POST", "/v1/m", Auth(initiator_), CreateBody().dump());
  EXPECT_THAT(c.body, HasSubstr("/v1/m/00000000-0000-4000-8000-000000000001"));
}

TEST_P(RelayFaultTest, NotFoundAs401AnswersUnknownIdsWith401) {
  SetUpWith(Fault::kNotFoundAs401);
  EXPECT_EQ(Read("/v1/m/" + NewUuidV4(), stranger_).status, 401);
}

TEST_P(RelayFaultTest, DeleteKeepsMailboxAnswers200ButKeepsIt) {
  SetUpWith(Fault::kDeleteKeepsMailbox);
  std::string path = CreateMailbox();
  EXPECT_EQ(Call("DELETE", path, Auth(initiator_)).status, 200);
  EXPECT_EQ(Read(path, initiator_).status, 200);
}

TEST_P(RelayFaultTest, IgnoreAccessRightsAllowsWritesWithoutW) {
  SetUpWith(Fault::kIgnoreAccessRights);
  std::string path = CreateMailbox("RD");
  EXPECT_EQ(Write(path, initiator_, 2).status, 200);
}

TEST_P(RelayFaultTest, PushToWriterNotifiesTheWriter) {
  SetUpWith(Fault::kPushToWriter);
  Json body = CreateBody();
  body["notificationToken"] = {{"type", "webhook"}, {"tokenData", "https://push.test/initiator"}};
  HttpResponse c = Call("POST", "/v1/m", Auth(initiator_), body.dump());
  std::string path = Json::parse(c.body).at("urlLink").get<std::string>().substr(18);
  EXPECT_EQ(Write(path, initiator_, 2).status, 200);
  EXPECT_EQ(notifier_.calls, std::vector<std::string>{"https://push.test/initiator"});
}

TEST_P(RelayFaultTest, PushWithPayloadSendsTheNewPayloadInThePush) {
  SetUpWith(Fault::kPushWithPayload);
  Json body = CreateBody();
  body["notificationToken"] = {{"type", "webhook"}, {"tokenData", "https://push.test/initiator"}};
  HttpResponse c = Call("POST", "/v1/m", Auth(initiator_), body.dump());
  std::string path = Json::parse(c.body).at("urlLink").get<std::string>().substr(18);
  ASSERT_EQ(Read(path, recipient_).status, 200);
  ASSERT_EQ(Write(path, recipient_, 3).status, 200);
  ASSERT_EQ(notifier_.bodies.size(), 1u);
  EXPECT_NE(notifier_.bodies[0].find(Data(3)), std::string::npos) << notifier_.bodies[0];
}

TEST_P(RelayFaultTest, RefuseCreatesAnswersEveryCreateWith400AndCreatesNothing) {
  SetUpWith(Fault::kRefuseCreates);
  std::string rid = NewUuidV4();
  HttpResponse r = Call("POST", "/v1/m", Auth(initiator_, rid), CreateBody().dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Json::parse(r.body), Json({{"error", "Invalid or missing Device-Claim header"}}));
  EXPECT_EQ(FindHeader(r.headers, "Mailbox-Request-ID"), rid);
  EXPECT_EQ(Count(), 0u);
  // The rest of the relay is unchanged.
  EXPECT_EQ(Read("/v1/m/" + NewUuidV4(), stranger_).status, 404);
}

TEST_P(RelayFaultTest, DuplicateClaimAnyLetsAStrangerInBehindTheBoundClaim) {
  SetUpWith(Fault::kDuplicateClaimAny);
  std::string path = CreateMailbox();
  ASSERT_EQ(ReadData(path, recipient_), Data(1));
  HeaderList stranger_first{{"Mailbox-Device-Claim", stranger_},
                            {"Mailbox-Device-Claim", recipient_}};
  // The first value alone is refused; with the bound claim behind it, it gets in.
  EXPECT_EQ(Read(path, stranger_).status, 401);
  EXPECT_EQ(Call("POST", path, stranger_first).status, 200);
  HeaderList write = stranger_first;
  write.emplace_back("Mailbox-Request-ID", NewUuidV4());
  EXPECT_EQ(Call("PUT", path, write, Json{{"payload", PayloadJson(7)}}.dump()).status, 200);
  EXPECT_EQ(ReadData(path, initiator_), Data(7));
  // Two strangers still get nowhere, and a single claim behaves as usual.
  HeaderList two_strangers{{"Mailbox-Device-Claim", stranger_},
                           {"Mailbox-Device-Claim", NewUuidV4()}};
  EXPECT_EQ(Call("POST", path, two_strangers).status, 401);
  EXPECT_EQ(Read(path, recipient_).status, 200);
}

TEST_P(RelayFaultTest, Method500AnswersUnknownMethodsWith500) {
  SetUpWith(Fault::kMethod500);
  std::string path = CreateMailbox();
  for (const char* m : {"BREW", "get", "TRACE", "OPTIONS"}) {
    EXPECT_EQ(Call(m, path).status, 500) << m;
    EXPECT_EQ(Call(m, "/nowhere").status, 500) << m;
  }
  EXPECT_EQ(Call("GET", path).status, 200);
  EXPECT_EQ(Call("GET", "/v1/m").status, 405);
}

TEST_P(RelayFaultTest, Head500AnswersHeadOnAMailboxWith500) {
  SetUpWith(Fault::kHead500);
  std::string path = CreateMailbox();
  EXPECT_EQ(Call("HEAD", path).status, 500);
  EXPECT_EQ(Call("GET", path).status, 200);
}

// ---- Quirks: legal behaviours the relay can switch on, one change each ----

class RelayQuirkTest : public RelayServiceTest {
 protected:
  void SetUpWith(QuirkSet q) {
    quirks_ = q;
    RelayServiceTest::SetUp();
  }
  void SetUp() override {}
};

INSTANTIATE_TEST_SUITE_P(Stores, RelayQuirkTest, ::testing::Values("memory", "sqlite"));

// Methods the relay does not implement, as the harness sends them.
const std::vector<std::string>& UnimplementedMethods() {
  static const std::vector<std::string> methods = {"BREW",   "PROPFIND", "get",
                                                   "delete", "put",      std::string(300, 'X'),
                                                   "TRACE",  "OPTIONS",  "CONNECT"};
  return methods;
}

TEST_P(RelayQuirkTest, EveryQuirkHasAUniqueParsableNameAndACitation) {
  SetUpWith({});
  std::set<std::string_view> names;
  for (const QuirkInfo& q : AllQuirks()) {
    EXPECT_TRUE(names.insert(q.name).second) << q.name;
    EXPECT_EQ(ParseQuirk(q.name).value(), q.quirk);
    EXPECT_FALSE(q.allowed_by.empty()) << q.name;
  }
  EXPECT_FALSE(ParseQuirk("no-such-quirk"));
  for (const FaultInfo& f : AllFaults()) EXPECT_FALSE(ParseQuirk(f.name)) << f.name;
}

TEST_P(RelayQuirkTest, ByDefaultUnimplementedMethodsGet405OnAMailboxAnd404Elsewhere) {
  SetUpWith({});
  std::string path = CreateMailbox();
  for (const std::string& m : UnimplementedMethods()) {
    EXPECT_EQ(Call(m, path, Auth(initiator_)).status, 405) << m;
    EXPECT_EQ(Call(m, "/v1/m", Auth(initiator_)).status, 405) << m;
    EXPECT_EQ(Call(m, "/elsewhere").status, 404) << m;
  }
}

TEST_P(RelayQuirkTest, Method501RefusesUnimplementedMethodsEverywhereWithoutEffect) {
  SetUpWith({Quirk::kMethod501});
  std::string path = CreateMailbox();
  ASSERT_EQ(ReadData(path, recipient_), Data(1));
  for (const std::string& m : UnimplementedMethods()) {
    std::string rid = NewUuidV4();
    HttpResponse r = Call(m, path, Auth(initiator_, rid), Json{{"payload", PayloadJson(9)}}.dump());
    EXPECT_EQ(r.status, 501) << m;
    EXPECT_EQ(FindHeader(r.headers, "Mailbox-Request-ID"), rid) << m;
    EXPECT_THAT(r.body, Not(HasSubstr(initiator_))) << m;  // TRACE reflects nothing
    EXPECT_EQ(Call(m, "/v1/m", Auth(initiator_), CreateBody().dump()).status, 501) << m;
    EXPECT_EQ(Call(m, "/elsewhere").status, 501) << m;
  }
  // Nothing happened to the mailbox, its binding or the store.
  EXPECT_EQ(ReadData(path, recipient_), Data(1));
  EXPECT_EQ(Read(path, stranger_).status, 401);
  EXPECT_EQ(Count(), 1u);
  // Defined methods on the wrong resource keep their answers.
  EXPECT_EQ(Call("GET", "/v1/m").status, 405);
  EXPECT_EQ(Call("PUT", "/v1/m", Auth(initiator_)).status, 405);
  EXPECT_EQ(Call("DELETE", "/v1/m", Auth(initiator_)).status, 405);
  EXPECT_EQ(Call("POST", "/v2/m", Auth(initiator_), CreateBody().dump()).status, 404);
  EXPECT_EQ(Call("GET", "/v1/m/not-a-uuid").status, 404);
  EXPECT_EQ(Call("HEAD", path).status, 200);
}

TEST_P(RelayQuirkTest, ByDefaultHeadOnAMailboxIsThePreviewAndAllowListsIt) {
  SetUpWith({});
  std::string path = CreateMailbox();
  HttpResponse get = Call("GET", path);
  HttpResponse head = Call("HEAD", path);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, get.body);  // the transport drops it, keeping its length
  EXPECT_EQ(FindHeader(head.headers, "Content-Type"), FindHeader(get.headers, "Content-Type"));
  EXPECT_EQ(FindHeader(head.headers, "Content-Security-Policy"), std::string(kPreviewCsp));
  EXPECT_EQ(Call("HEAD", "/v1/m/" + NewUuidV4()).status, 404);
  HttpResponse brew = Call("BREW", path);
  EXPECT_EQ(FindHeader(brew.headers, "Allow"), "GET, HEAD, POST, PUT, DELETE, PATCH");
  ASSERT_EQ(ReadData(path, recipient_), Data(1));  // HEAD did not bind
}

TEST_P(RelayQuirkTest, Head405RefusesHeadOnAMailboxWithAllow) {
  SetUpWith({Quirk::kHead405});
  std::string path = CreateMailbox();
  HttpResponse r = Call("HEAD", path);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(FindHeader(r.headers, "Allow"), "GET, POST, PUT, DELETE, PATCH");
  EXPECT_EQ(Call("GET", path).status, 200);
  EXPECT_EQ(ReadData(path, recipient_), Data(1));
}

TEST_P(RelayQuirkTest, AnyRequestIdIsAcceptedEchoedAndDeduplicated) {
  SetUpWith({Quirk::kAnyRequestId});
  HttpResponse created = Call("POST", "/v1/m", Auth(initiator_, "12345"), CreateBody().dump());
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(FindHeader(created.headers, "Mailbox-Request-ID"), "12345");
  HttpResponse again = Call("POST", "/v1/m", Auth(initiator_, "12345"), CreateBody().dump());
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, created.body);
  EXPECT_EQ(Count(), 1u);
  std::string path = Json::parse(created.body).at("urlLink").get<std::string>().substr(18);
  ASSERT_EQ(Read(path, recipient_).status, 200);
  const std::string odd = "retry #1 \xc3\xa9/\"x\"";
  HttpResponse w = Write(path, recipient_, 2, odd);
  EXPECT_EQ(w.status, 200);
  EXPECT_EQ(FindHeader(w.headers, "Mailbox-Request-ID"), odd);
  EXPECT_EQ(Write(path, recipient_, 3, odd).status, 201);
  EXPECT_EQ(ReadData(path, initiator_), Data(2));
  EXPECT_EQ(Call("PATCH", path, Auth(recipient_, "r")).status, 200);
  EXPECT_EQ(Call("PATCH", path, Auth(recipient_, "r")).status, 201);
  EXPECT_EQ(Call("DELETE", path, Auth(initiator_, "d")).status, 200);
  // Still refused: an empty or blank Request-ID, two of them, and a claim that is no UUID.
  EXPECT_EQ(Call("POST", "/v1/m", Auth(initiator_, ""), CreateBody().dump()).status, 400);
  EXPECT_EQ(Call("POST", "/v1/m", Auth(initiator_, " "), CreateBody().dump()).status, 400);
  HeaderList two = Auth(NewUuidV4(), "a");
  two.emplace_back("Mailbox-Request-ID", "b");
  EXPECT_EQ(Call("POST", "/v1/m", two, CreateBody().dump()).status, 400);
  EXPECT_EQ(Call("POST", "/v1/m", Auth("not-a-uuid", "x"), CreateBody().dump()).status, 400);
  EXPECT_EQ(Count(), 0u);
}

// Payload data a strict relay refuses and an opaque one stores unchanged.
std::vector<std::string> UnusualData() {
  std::string canonical = Data(1);  // 40 octets of 0x01: "AQEB...AQ=="
  std::string unpadded = canonical.substr(0, canonical.find('='));
  std::string url_safe = Base64Encode(Bytes(40, 0xfb));  // "+/v7..."
  for (char& c : url_safe) c = c == '+' ? '-' : c == '/' ? '_' : c;
  std::string pad_bits = canonical;
  pad_bits[pad_bits.find('=') - 1] = 'R';  // "AQ==" -> "AR==": same octet, a pad bit set
  return {unpadded, url_safe, pad_bits, Data(1, 10), "not base64 at all!", "QQ"};
}

TEST_P(RelayQuirkTest, ByDefaultUnusualPayloadDataIsRefused) {
  SetUpWith({});
  for (const std::string& data : UnusualData()) {
    Json body = CreateBody();
    body["payload"]["data"] = data;
    EXPECT_EQ(Call("POST", "/v1/m", Auth(initiator_), body.dump()).status, 400) << data;
  }
}

TEST_P(RelayQuirkTest, OpaqueDataStoresAnyNonEmptyStringUnchanged) {
  SetUpWith({Quirk::kOpaqueData});
  std::string path = CreateMailbox();
  ASSERT_EQ(Read(path, recipient_).status, 200);
  for (const std::string& data : UnusualData()) {
    Json body = CreateBody();
    body["payload"]["data"] = data;
    HttpResponse c = Call("POST", "/v1/m", Auth(NewUuidV4()), body.dump());
    ASSERT_EQ(c.status, 200) << data << " " << c.body;
    std::string created = Json::parse(c.body).at("urlLink").get<std::string>().substr(18);
    EXPECT_EQ(ReadData(created, NewUuidV4()), data);
    Json update{{"payload", {{"type", "AEAD_AES_256_GCM"}, {"data", data}}}};
    EXPECT_EQ(Call("PUT", path, Auth(recipient_), update.dump()).status, 200) << data;
    EXPECT_EQ(ReadData(path, initiator_), data);
  }
  // The type is still checked, and data must be a non-empty string.
  for (Json payload :
       {Json{{"type", "AES128"}, {"data", Data(1)}},
        Json{{"type", "AEAD_AES_128_GCM"}, {"data", ""}},
        Json{{"type", "AEAD_AES_128_GCM"}, {"data", 7}}, Json{{"type", "AEAD_AES_128_GCM"}}}) {
    Json body = CreateBody();
    body["payload"] = payload;
    EXPECT_EQ(Call("POST", "/v1/m", Auth(NewUuidV4()), body.dump()).status, 400) << payload;
    EXPECT_EQ(Call("PUT", path, Auth(recipient_), Json{{"payload", payload}}.dump()).status, 400)
        << payload;
  }
}

TEST_P(RelayQuirkTest, TrailingSlashReachesTheSameResources) {
  SetUpWith({Quirk::kTrailingSlash});
  HttpResponse c = Call("POST", "/v1/m/", Auth(initiator_), CreateBody().dump());
  ASSERT_EQ(c.status, 200) << c.body;
  std::string path = Json::parse(c.body).at("urlLink").get<std::string>().substr(18);
  EXPECT_EQ(Call("GET", path + "/").status, 200);
  EXPECT_EQ(Call("GET", path + "/?v=h").status, 200);
  EXPECT_EQ(ReadData(path + "/", recipient_), Data(1));
  EXPECT_EQ(Write(path + "/", recipient_, 2).status, 200);
  EXPECT_EQ(ReadData(path, initiator_), Data(2));
  EXPECT_EQ(Call("GET", "/v1/m/").status, 405);
  EXPECT_EQ(Call("GET", path + "//").status, 404);  // one slash only
  EXPECT_EQ(Call("GET", "/v1/m//").status, 404);
  EXPECT_EQ(Call("DELETE", path + "/", Auth(initiator_)).status, 200);
  EXPECT_EQ(Count(), 0u);
}

TEST_P(RelayQuirkTest, ByDefaultATrailingSlashIsAnotherResource) {
  SetUpWith({});
  std::string path = CreateMailbox();
  EXPECT_EQ(Call("GET", path + "/").status, 404);
  EXPECT_EQ(Call("POST", "/v1/m/", Auth(initiator_), CreateBody().dump()).status, 404);
  EXPECT_EQ(Count(), 1u);
}

TEST_P(RelayQuirkTest, OgImageAnySchemeKeepsTheUrlEscapedUnderTheSameCsp) {
  SetUpWith({Quirk::kOgImageAnyScheme});
  Json body = CreateBody();
  body["displayInformation"] = {{"title", "\"><script>alert(1)</script>"},
                                {"description", "d"},
                                {"imageURL", "javascript:alert(\"x\")<b>"}};
  HttpResponse c = Call("POST", "/v1/m", Auth(initiator_), body.dump());
  ASSERT_EQ(c.status, 200);
  std::string path = Json::parse(c.body).at("urlLink").get<std::string>().substr(18);
  HttpResponse r = Call("GET", path);
  ASSERT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr("<meta property=\"og:image\" "
                                "content=\"javascript:alert(&quot;x&quot;)&lt;b&gt;\">"));
  EXPECT_THAT(r.body, Not(HasSubstr("<script")));
  EXPECT_THAT(r.body, Not(HasSubstr("<b>")));
  EXPECT_EQ(FindHeader(r.headers, "Content-Security-Policy"), std::string(kPreviewCsp));
  // Web images and an empty imageURL render as by default.
  EXPECT_EQ(RenderPreview(DisplayInformation{"t", "d", "https://i.test/x.png"}, true),
            RenderPreview(DisplayInformation{"t", "d", "https://i.test/x.png"}));
  EXPECT_EQ(RenderPreview(DisplayInformation{"t", "d", ""}, true),
            RenderPreview(DisplayInformation{"t", "d", ""}));
  EXPECT_THAT(RenderPreview(DisplayInformation{"t", "d", "data:image/png;base64,AAAA"}, true),
              HasSubstr("content=\"data:image/png;base64,AAAA\""));
}

TEST_P(RelayQuirkTest, QuirksCombineAndLeaveTheShareFlowAlone) {
  QuirkSet all;
  for (const QuirkInfo& q : AllQuirks()) all.Add(q.quirk);
  SetUpWith(all);
  std::string path = CreateMailbox();
  EXPECT_EQ(Call("GET", path).status, 200);
  EXPECT_EQ(ReadData(path, recipient_), Data(1));
  EXPECT_EQ(Read(path, stranger_).status, 401);
  std::string rid = NewUuidV4();
  EXPECT_EQ(Write(path, recipient_, 2, rid).status, 200);
  EXPECT_EQ(Write(path, recipient_, 3, rid).status, 201);
  EXPECT_EQ(ReadData(path, initiator_), Data(2));
  EXPECT_EQ(Call("HEAD", path).status, 405);
  EXPECT_EQ(Call("BREW", path).status, 501);
  HeaderList two_claims{{"Mailbox-Device-Claim", stranger_}, {"Mailbox-Device-Claim", recipient_}};
  EXPECT_EQ(Call("POST", path, two_claims).status, 400);
  EXPECT_EQ(Call("DELETE", path, Auth(initiator_)).status, 200);
}

}  // namespace
}  // namespace tigress::relay
