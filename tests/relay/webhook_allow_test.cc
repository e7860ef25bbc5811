#include "reference/relay/webhook_allow.h"

#include <gtest/gtest.h>

namespace tigress::relay {
namespace {

WebhookAllowList List(std::vector<std::string> entries) {
  return WebhookAllowList::Parse(entries).value();
}

TEST(WebhookAllowList, RefusesAHostThatOnlyStartsWithTheAllowedOne) {
  WebhookAllowList allow = List({"https://hooks.example"});
  EXPECT_TRUE(allow.Allows("https://hooks.example/push/abc"));
  EXPECT_FALSE(allow.Allows("https://hooks.example.evil.com/"));
  EXPECT_FALSE(allow.Allows("https://hooks.examplex/"));
}

TEST(WebhookAllowList, RefusesUserinfoThatHidesAnotherHost) {
  WebhookAllowList allow = List({"https://hooks.example"});
  EXPECT_FALSE(allow.Allows("https://hooks.example@10.0.0.5/"));
  EXPECT_FALSE(allow.Allows("https://hooks.example:443@10.0.0.5/"));
  EXPECT_FALSE(allow.Allows("https://user:pw@hooks.example/"));
  EXPECT_FALSE(WebhookAllowList::Parse({"https://user@hooks.example/"}));
}

TEST(WebhookAllowList, ComparesPortsWithTheDefaultMadeExplicit) {
  WebhookAllowList allow = List({"https://hooks.example/"});
  EXPECT_TRUE(allow.Allows("https://hooks.example:443/a"));
  EXPECT_FALSE(allow.Allows("https://hooks.example:8443/a"));
  WebhookAllowList with_port = List({"https://127.0.0.1:4443/push/"});
  EXPECT_TRUE(with_port.Allows("https://127.0.0.1:4443/push/x"));
  EXPECT_FALSE(with_port.Allows("https://127.0.0.1/push/x"));
  EXPECT_FALSE(with_port.Allows("https://127.0.0.1:44430/push/x"));
}

TEST(WebhookAllowList, MatchesThePathOnSegmentBoundaries) {
  WebhookAllowList allow = List({"https://hooks.example/push"});
  EXPECT_TRUE(allow.Allows("https://hooks.example/push"));
  EXPECT_TRUE(allow.Allows("https://hooks.example/push/abc?x=1"));
  EXPECT_FALSE(allow.Allows("https://hooks.example/pushy"));
  EXPECT_FALSE(allow.Allows("https://hooks.example/admin"));
  EXPECT_FALSE(allow.Allows("https://hooks.example/push/../admin"));
  EXPECT_FALSE(allow.Allows("https://hooks.example/push/%2e%2e/admin"));
  EXPECT_FALSE(allow.Allows("https://hooks.example/push%2Fx"));
}

TEST(WebhookAllowList, ComparesSchemeAndHostCaseInsensitivelyAndHttpsOnly) {
  WebhookAllowList allow = List({"https://Hooks.Example/"});
  EXPECT_TRUE(allow.Allows("HTTPS://hooks.EXAMPLE/a"));
  EXPECT_FALSE(allow.Allows("http://hooks.example/a"));
  EXPECT_FALSE(WebhookAllowList::Parse({"http://hooks.example/"}));
  EXPECT_FALSE(WebhookAllowList::Parse({"hooks.example"}));
}

TEST(WebhookAllowList, AllowsNothingWhenEmptyOrForGarbage) {
  EXPECT_FALSE(List({}).Allows("https://hooks.example/"));
  WebhookAllowList allow = List({"https://hooks.example/"});
  EXPECT_FALSE(allow.Allows(""));
  EXPECT_FALSE(allow.Allows("not a url"));
  EXPECT_FALSE(allow.Allows("https:///nohost"));
}

TEST(WebhookAllowList, ParseErrorsNameTheEntry) {
  auto r = WebhookAllowList::Parse({"https://ok.example/", "ftp://x.example/"});
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kFieldInvalid));
  EXPECT_NE(r.error().detail.find("ftp://x.example/"), std::string::npos);
}

}  // namespace
}  // namespace tigress::relay
