#include "protocol/messages.h"

#include <gtest/gtest.h>

namespace tigress {
namespace {

constexpr char kCreate[] = R"({
  "payload": {"type": "AEAD_AES_128_GCM", "data": "AAECAwQFBgcICQoL6JUXclvEElsyNKDxa4zpEA=="},
  "displayInformation": {"title": "Hotel Pass", "description": "Some Hotel Pass",
                         "imageURL": "https://example.com/sharingImage"},
  "notificationToken": {"type": "com.apple.apns", "tokenData": "APNS1234"},
  "mailboxConfiguration": {"accessRights": "RWD", "expiration": "2030-02-08T14:57:22Z"}
})";

TEST(Messages, ParsesAFullCreateRequest) {
  const auto r = ParseCreateMailboxRequest(kCreate, /*strict=*/true);
  ASSERT_TRUE(r) << r.error().Message();
  EXPECT_EQ(r->payload.type, "AEAD_AES_128_GCM");
  EXPECT_EQ(r->display_information.image_url, "https://example.com/sharingImage");
  ASSERT_TRUE(r->notification_token);
  EXPECT_EQ(r->notification_token->token_data, "APNS1234");
  ASSERT_TRUE(r->mailbox_configuration);
  EXPECT_EQ(r->mailbox_configuration->access_rights, "RWD");
}

TEST(Messages, CreateRequestRoundTripsThroughJson) {
  const auto r = ParseCreateMailboxRequest(kCreate).value();
  const auto again = ParseCreateMailboxRequest(ToJson(r).dump()).value();
  EXPECT_EQ(ToJson(again), ToJson(r));
  EXPECT_EQ(ToJson(r)["displayInformation"]["imageURL"], "https://example.com/sharingImage");
}

TEST(Messages, ANumberOutOfDoubleRangeIsInvalidJsonNotAnException) {
  for (const char* body : {R"({"payload": 1e999999})", R"({"payload": -1e400})"}) {
    const auto r = ParseCreateMailboxRequest(body);
    ASSERT_FALSE(r) << body;
    EXPECT_TRUE(r.error().Is(Errc::kJsonInvalid)) << r.error().Message();
  }
}

TEST(Messages, NamesTheMissingFieldByItsPath) {
  Json j = Json::parse(kCreate);
  j["displayInformation"].erase("title");
  const auto r = ParseCreateMailboxRequest(j.dump());
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kFieldMissing));
  EXPECT_EQ(r.error().detail, "displayInformation.title: required field is missing");
}

TEST(Messages, NamesAFieldOfTheWrongType) {
  Json j = Json::parse(kCreate);
  j["payload"]["type"] = 128;
  const auto r = ParseCreateMailboxRequest(j.dump());
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kFieldWrongType));
  EXPECT_EQ(r.error().detail, "payload.type: expected a string, got number");
}

TEST(Messages, RejectsBadAccessRightsAndExpiration) {
  for (const char* rights : {"", "X", "rwd", "RR"}) {
    Json j = Json::parse(kCreate);
    j["mailboxConfiguration"]["accessRights"] = rights;
    const auto r = ParseCreateMailboxRequest(j.dump());
    ASSERT_FALSE(r) << rights;
    EXPECT_TRUE(r.error().Is(Errc::kFieldInvalid));
    EXPECT_NE(r.error().detail.find("accessRights"), std::string::npos);
  }
  Json j = Json::parse(kCreate);
  j["mailboxConfiguration"]["expiration"] = "tomorrow";
  const auto r = ParseCreateMailboxRequest(j.dump());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("mailboxConfiguration.expiration"), std::string::npos);
}

TEST(Messages, ReportsTheByteOffsetOfBrokenJson) {
  const auto r = ParseCreateMailboxRequest(R"({"payload": {"type": )");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kJsonInvalid));
  EXPECT_NE(r.error().detail.find("byte"), std::string::npos);
}

TEST(Messages, IgnoresUnknownFieldsUnlessStrict) {
  Json j = Json::parse(kCreate);
  j["mailboxIdentifier"] = "0f5c9a2e-3b4d-4c6e-8f10-2a3b4c5d6e7f";
  EXPECT_TRUE(ParseCreateMailboxRequest(j.dump()));
  const auto strict = ParseCreateMailboxRequest(j.dump(), true);
  ASSERT_FALSE(strict);
  EXPECT_TRUE(strict.error().Is(Errc::kFieldUnknown));
  EXPECT_EQ(strict.error().detail, "mailboxIdentifier: field is not allowed here");
}

TEST(Messages, ReadSecureRequestMayBeEmptyOrCarryAToken) {
  EXPECT_FALSE(ParseReadSecureContentRequest("").value().notification_token);
  EXPECT_FALSE(ParseReadSecureContentRequest("  \n").value().notification_token);
  const auto r = ParseReadSecureContentRequest(
      R"({"notificationToken":{"type":"webhook","tokenData":"https://127.0.0.1:1/x"}})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->notification_token->type, "webhook");
  EXPECT_FALSE(ParseReadSecureContentRequest("[]"));
}

TEST(Messages, ParsesResponsesOfCreateUpdateAndRead) {
  const auto c = ParseCreateMailboxResponse(
      R"({"urlLink":"https://r.test/v1/m/0f5c9a2e-3b4d-4c6e-8f10-2a3b4c5d6e7f","isPushNotificationSupported":true})");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->is_push_notification_supported);
  EXPECT_FALSE(ParseUpdateMailboxResponse(R"({"isPushNotificationSupported":"yes"})"));
  const ReadSecureContentResponse read{{"AEAD_AES_128_GCM", "AAAA"},
                                       {"t", "d", "https://i.test/x.png"},
                                       "2030-01-01T00:00:00Z"};
  const auto back = ParseReadSecureContentResponse(ToJson(read).dump(), true);
  ASSERT_TRUE(back) << back.error().Message();
  EXPECT_EQ(back->payload, read.payload);
  EXPECT_EQ(back->display_information, read.display_information);
  EXPECT_EQ(back->expiration, read.expiration);
}

TEST(ProvisioningInfo, KeepsUnknownTopLevelKeys) {
  const auto p = ParseProvisioningInfo(
      R"({"format":"digitalwallet.carkey.ccc","content":{"k":1},"x-extra":1})");
  ASSERT_TRUE(p) << p.error().Message();
  EXPECT_EQ(p->format, "digitalwallet.carkey.ccc");
  EXPECT_EQ(p->extra["x-extra"], 1);
  EXPECT_EQ(ToJson(*p)["x-extra"], 1);
  EXPECT_EQ(ToJson(*p)["content"]["k"], 1);
}

TEST(ProvisioningInfo, RejectsMissingFormatAndNonObjectContent) {
  for (const char* text : {R"({"content":{}})", R"({"format":"f","content":"x"})",
                           R"({"format":"f"})", "[1]", ""}) {
    const auto p = ParseProvisioningInfo(text);
    ASSERT_FALSE(p) << text;
    EXPECT_TRUE(p.error().Is(Errc::kPlaintextNotProvisioningInfo)) << text;
  }
}

TEST(ProvisioningInfo, RefusesPlaintextNestedDeeperThanTheBoundWithoutParsingIt) {
  // Copying the parsed content would recurse once per level and overflow the stack.
  const std::string deep = R"({"format":"f","content":{"a":)" + std::string(1000000, '[') +
                           std::string(1000000, ']') + "}}";
  const auto p = ParseProvisioningInfo(deep);
  ASSERT_FALSE(p);
  EXPECT_TRUE(p.error().Is(Errc::kPlaintextNotProvisioningInfo)) << p.error().Message();
  EXPECT_NE(p.error().detail.find("nested deeper than 128"), std::string::npos);
  const std::string at_bound = R"({"format":"f","content":{"a":)" + std::string(126, '[') +
                               std::string(126, ']') + "}}";
  EXPECT_TRUE(ParseProvisioningInfo(at_bound));
}

TEST(Messages, ARequestNestedDeeperThanTheBoundIsInvalidJson) {
  const std::string deep = R"({"payload":)" + std::string(200, '[') + std::string(200, ']') + "}";
  const auto r = ParseCreateMailboxRequest(deep);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kJsonInvalid)) << r.error().Message();
}

}  // namespace
}  // namespace tigress
