#include <set>

#include "tests/relay/relay_service_fixture.h"

namespace tigress::relay {
namespace {

using namespace service_test;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

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
  std::string path = PathOf(created);
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
    std::string created = PathOf(c);
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
  std::string path = PathOf(c);
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
  HttpResponse r = Call("GET", CreateFrom(body));
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
