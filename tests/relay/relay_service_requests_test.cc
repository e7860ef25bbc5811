#include <cctype>

#include "tests/relay/relay_service_fixture.h"

namespace tigress::relay {
namespace {

using namespace service_test;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

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
  std::string path = PathOf(c);
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
  HttpResponse r = Call("GET", CreateFrom(body));
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
  std::string path = PathOf(c);
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

}  // namespace
}  // namespace tigress::relay
