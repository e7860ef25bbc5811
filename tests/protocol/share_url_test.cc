#include "protocol/share_url.h"

#include <gtest/gtest.h>

namespace tigress {
namespace {

constexpr char kDraftUrl[] =
    "https://relayserver.example.com/v1/m/2bba630e-519b-11ec-bf63-0242ac130002?v=c"
    "#hXlr6aRC7KgJpOLTNZaLsw==";

TEST(ShareUrl, ParsesTheDraftExample) {
  const auto u = ParseShareUrl(kDraftUrl);
  ASSERT_TRUE(u) << u.error().Message();
  EXPECT_EQ(u->relay_host, "relayserver.example.com");
  EXPECT_EQ(u->api_version, "v1");
  EXPECT_EQ(u->mailbox_id, "2bba630e-519b-11ec-bf63-0242ac130002");
  EXPECT_EQ(u->vertical, "c");
  ASSERT_TRUE(u->secret);
  EXPECT_EQ(HexEncode(*u->secret), "85796be9a442eca809a4e2d335968bb3");
  EXPECT_EQ(u->ResourceUrl(),
            "https://relayserver.example.com/v1/m/2bba630e-519b-11ec-bf63-0242ac130002");
}

TEST(ShareUrl, KeepsThePortInTheRelayHost) {
  const auto u = ParseShareUrl("https://127.0.0.1:8443/v1/m/0f5c9a2e-3b4d-4c6e-8f10-2a3b4c5d6e7f");
  ASSERT_TRUE(u) << u.error().Message();
  EXPECT_EQ(u->relay_host, "127.0.0.1:8443");
  EXPECT_FALSE(u->vertical);
  EXPECT_FALSE(u->secret);
  EXPECT_EQ(u->RelayBaseUrl(), "https://127.0.0.1:8443");
}

TEST(ShareUrl, AcceptsEverySpellingOfTheKatUrl3Secret) {
  const std::string base = "https://relay.test/v1/m/0f5c9a2e-3b4d-4c6e-8f10-2a3b4c5d6e7f?v=c#";
  for (const char* frag : {"+/+/+/+/+/+/+/+/+/+//g==", "-_-_-_-_-_-_-_-_-_-__g==",
                           "+/+/+/+/+/+/+/+/+/+//g", "%2B%2F%2B%2F%2B%2F%2B%2F%2B%2F%2B%2F%2B%2F"
                           "%2B%2F%2B%2F%2B%2F%2Fg%3D%3D"}) {
    const auto u = ParseShareUrl(base + frag);
    ASSERT_TRUE(u) << frag << ": " << u.error().Message();
    EXPECT_EQ(HexEncode(*u->secret), "fbffbffbffbffbffbffbffbffbffbffe") << frag;
  }
}

TEST(ShareUrl, NamesThePartThatIsWrong) {
  struct Case {
    std::string url;
    Errc errc;
    const char* mentions;
  };
  const std::string id = "0f5c9a2e-3b4d-4c6e-8f10-2a3b4c5d6e7f";
  for (const Case& c : {
           Case{"http://relay.test/v1/m/" + id, Errc::kUrlNotHttps, "https"},
           Case{"relay.test/v1/m/" + id, Errc::kUrlInvalid, "absolute"},
           Case{"https:///v1/m/" + id, Errc::kUrlBadHost, "host"},
           Case{"https://relay.test/v1/x/" + id, Errc::kUrlBadPath, "/v1/x/"},
           Case{"https://relay.test/m/" + id, Errc::kUrlBadPath, "path"},
           Case{"https://relay.test/v1/m/" + id + "/", Errc::kUrlBadPath, "path"},
           Case{"https://relay.test/v1/m/" + id + "/extra", Errc::kUrlBadPath, "path"},
           Case{"https://relay.test/vx/m/" + id, Errc::kUrlBadPath, "path"},
           Case{"https://relay.test/v1/m/1234567890", Errc::kUrlBadMailboxId, "1234567890"},
           Case{"https://relay.test/v1/m/" + id + "?v=z", Errc::kUrlBadVertical, "v='z'"},
           Case{"https://relay.test/v1/m/" + id + "?v=C", Errc::kUrlBadVertical, "v='C'"},
           Case{"https://relay.test/v1/m/" + id + "#AAAAAAAAAAAAAAAAAAAA", Errc::kUrlBadSecret,
                "15 octets"},
           Case{"https://relay.test/v1/m/" + id + "#not*base64", Errc::kUrlBadSecret, "base64"},
       }) {
    const auto u = ParseShareUrl(c.url);
    ASSERT_FALSE(u) << c.url;
    EXPECT_TRUE(u.error().Is(c.errc)) << c.url << " -> " << u.error().Message();
    EXPECT_NE(u.error().detail.find(c.mentions), std::string::npos)
        << c.url << " -> " << u.error().detail;
  }
}

TEST(ShareUrl, StripFragmentKeepsTheQuery) {
  EXPECT_EQ(StripFragment(kDraftUrl).value(),
            "https://relayserver.example.com/v1/m/2bba630e-519b-11ec-bf63-0242ac130002?v=c");
  EXPECT_EQ(StripFragment("https://a.test/v1/m/x").value(), "https://a.test/v1/m/x");
}

TEST(ShareUrl, BuildPutsVerticalInTheQueryAndSecretInTheFragment) {
  const Bytes key = HexDecode("85796be9a442eca809a4e2d335968bb3").value();
  const auto url = BuildShareUrl(
      "https://relayserver.example.com/v1/m/2bba630e-519b-11ec-bf63-0242ac130002", "c", key);
  ASSERT_TRUE(url) << url.error().Message();
  EXPECT_EQ(*url, kDraftUrl);
  const auto round = ParseShareUrl(*url);
  ASSERT_TRUE(round);
  EXPECT_EQ(*round->secret, key);
}

TEST(ShareUrl, AnEmptyQueryBeforeTheFragmentReadsAsNoVertical) {
  // Found by fuzz/share_url_fuzz.cc: Boost.URL 1.81 crashed iterating "?#".
  const std::string id = "9b2f6c1e-7d3a-4e5b-a1c2-3d4e5f607182";
  const auto u = ParseShareUrl("https://relay.test/v1/m/" + id + "?#hXlr6aRC7KgJpOLTNZaLsw==");
  ASSERT_TRUE(u) << u.error().Message();
  EXPECT_EQ(u->mailbox_id, id);
  EXPECT_FALSE(u->vertical);
  EXPECT_EQ(u->secret->size(), 16U);
  EXPECT_EQ(BuildShareUrl("https://relay.test/v1/m/" + id + "?#x", "h", std::nullopt).value(),
            "https://relay.test/v1/m/" + id + "?v=h#x");
}

TEST(ShareUrl, BuildWithoutVerticalOrSecretIsTheUrlLink) {
  const std::string link = "https://localhost:9443/v1/m/0f5c9a2e-3b4d-4c6e-8f10-2a3b4c5d6e7f";
  EXPECT_EQ(BuildShareUrl(link, std::nullopt, std::nullopt).value(), link);
}

TEST(ShareUrl, BuildRejectsBadSecretLengthAndVertical) {
  const std::string link = "https://localhost/v1/m/0f5c9a2e-3b4d-4c6e-8f10-2a3b4c5d6e7f";
  EXPECT_TRUE(BuildShareUrl(link, std::nullopt, Bytes(20, 1)).error().Is(Errc::kUrlBadSecret));
  EXPECT_TRUE(BuildShareUrl(link, "x", std::nullopt).error().Is(Errc::kUrlBadVertical));
}

TEST(ShareUrl, MailboxUrlJoinsBaseAndId) {
  EXPECT_EQ(MailboxUrl("https://localhost:9443/", "0f5c9a2e-3b4d-4c6e-8f10-2a3b4c5d6e7f").value(),
            "https://localhost:9443/v1/m/0f5c9a2e-3b4d-4c6e-8f10-2a3b4c5d6e7f");
  EXPECT_TRUE(MailboxUrl("https://localhost", "nope").error().Is(Errc::kUrlBadMailboxId));
}

}  // namespace
}  // namespace tigress
