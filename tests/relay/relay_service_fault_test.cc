#include <set>

#include "tests/relay/relay_service_fixture.h"

namespace tigress::relay {
namespace {

using namespace service_test;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

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
  std::string path = PathOf(c);
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
  std::string path = PathOf(c);
  EXPECT_EQ(Write(path, initiator_, 2).status, 200);
  EXPECT_EQ(notifier_.calls, std::vector<std::string>{"https://push.test/initiator"});
}

TEST_P(RelayFaultTest, PushWithPayloadSendsTheNewPayloadInThePush) {
  SetUpWith(Fault::kPushWithPayload);
  Json body = CreateBody();
  body["notificationToken"] = {{"type", "webhook"}, {"tokenData", "https://push.test/initiator"}};
  HttpResponse c = Call("POST", "/v1/m", Auth(initiator_), body.dump());
  std::string path = PathOf(c);
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

}  // namespace
}  // namespace tigress::relay
