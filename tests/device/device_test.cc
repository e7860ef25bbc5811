#include "reference/device/device.h"

#include <set>

#include <gtest/gtest.h>

#include "protocol/payload.h"
#include "protocol/uuid.h"
#include "reference/device/exchange.h"
#include "tests/device/fake_relay.h"

namespace tigress::device {
namespace {

using testing::FakeRelay;
using testing::FakeTransport;

ProvisioningInfo Info(const std::string& msg) {
  ProvisioningInfo p;
  p.format = "digitalwallet.carkey.ccc";
  p.content = Json{{"msg", msg}};
  return p;
}

AcceptParams Url(const std::string& url, std::optional<Bytes> secret = std::nullopt,
                 std::optional<std::string> initiator_claim = std::nullopt) {
  AcceptParams p;
  p.share_url = url;
  p.secret = std::move(secret);
  p.initiator_claim = std::move(initiator_claim);
  return p;
}

ShareParams DefaultShare() {
  ShareParams p;
  p.info = Info("message 1");
  p.display =
      DisplayInformation{"Car key", "A key for the blue car", "https://example.com/car.png"};
  p.vertical = "c";
  p.expiration = "2030-01-01T00:00:00Z";
  return p;
}

std::optional<std::string> HeaderOf(const HttpRequest& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::string PayloadDataOf(const HttpRequest& r) {
  return Json::parse(r.body)["payload"]["data"].get<std::string>();
}

// Two devices, each with its own transport and fault memory, on one fake relay.
class DeviceTest : public ::testing::Test {
 protected:
  Device& Initiator(Fault fault = Fault::kNone) {
    DeviceOptions o;
    o.fault = fault;
    o.relay_base_url = relay_.base();
    o.sleep = [this](std::chrono::milliseconds d) { slept_ += d; };
    o.now = [this] { return std::chrono::steady_clock::time_point(slept_); };
    initiator_ = std::make_unique<Device>(initiator_transport_, o, initiator_memory_);
    return *initiator_;
  }
  Device& Recipient(Fault fault = Fault::kNone) {
    DeviceOptions o;
    o.fault = fault;
    o.sleep = [this](std::chrono::milliseconds d) { slept_ += d; };
    o.now = [this] { return std::chrono::steady_clock::time_point(slept_); };
    recipient_ = std::make_unique<Device>(recipient_transport_, o, recipient_memory_);
    return *recipient_;
  }

  FakeRelay relay_;
  FakeTransport initiator_transport_{relay_};
  FakeTransport recipient_transport_{relay_};
  FaultMemory initiator_memory_;
  FaultMemory recipient_memory_;
  std::unique_ptr<Device> initiator_;
  std::unique_ptr<Device> recipient_;
  std::chrono::milliseconds slept_{0};
};

TEST_F(DeviceTest, SharesAcceptsAndExchangesMessagesBothWays) {
  Device& init = Initiator();
  Device& recip = Recipient();
  ShareResult s = init.Share(DefaultShare()).value();
  EXPECT_NE(s.share_url.find("?v=c#"), std::string::npos);
  EXPECT_FALSE(s.secret.has_value());
  AcceptResult a = recip.Accept(Url(s.share_url)).value();
  EXPECT_EQ(a.info, Info("message 1"));
  EXPECT_EQ(a.display.title, "Car key");
  EXPECT_EQ(a.expiration, "2030-01-01T00:00:00Z");
  ASSERT_TRUE(recip.Send(Info("message 2")));
  EXPECT_EQ(init.Receive().value(), Info("message 2"));
  ASSERT_TRUE(init.Send(Info("message 3")));
  ASSERT_TRUE(init.Send(Info("message 4")));
  EXPECT_EQ(recip.Receive().value(), Info("message 4"));
  ASSERT_TRUE(recip.Close());
  EXPECT_TRUE(relay_.mailboxes.empty());
}

TEST_F(DeviceTest, ReceiveAnswersNoNewMessageForOwnAndAlreadyReturnedMessages) {
  Device& init = Initiator();
  Device& recip = Recipient();
  ShareResult s = init.Share(DefaultShare()).value();
  // The mailbox holds the initiator's own message 1.
  EXPECT_TRUE(init.Receive().error().Is(Errc::kNoNewMessage));
  ASSERT_TRUE(recip.Accept(Url(s.share_url)));
  // Message 1 was already returned by accept.
  EXPECT_TRUE(recip.Receive().error().Is(Errc::kNoNewMessage));
  ASSERT_TRUE(recip.Send(Info("reply")));
  EXPECT_TRUE(recip.Receive().error().Is(Errc::kNoNewMessage));
  EXPECT_EQ(init.Receive().value(), Info("reply"));
  EXPECT_TRUE(init.Receive().error().Is(Errc::kNoNewMessage));
}

TEST_F(DeviceTest, ReceiveWithTimeoutPollsWithBoundedSleeps) {
  Device& init = Initiator();
  ASSERT_TRUE(init.Share(DefaultShare()));
  std::size_t before = relay_.requests.size();
  auto r = init.Receive(std::chrono::milliseconds(1000));
  EXPECT_TRUE(r.error().Is(Errc::kNoNewMessage));
  EXPECT_EQ(slept_, std::chrono::milliseconds(1000));
  EXPECT_EQ(relay_.requests.size() - before, 11u);  // one read per 100 ms, plus the first
}

TEST_F(DeviceTest, UsesFreshClaimsSecretsIvsAndRequestIdsPerShare) {
  Device& init = Initiator();
  std::set<std::string> claims, request_ids, ivs, secrets;
  for (int i = 0; i < 3; ++i) {
    ShareResult s = init.Share(DefaultShare()).value();
    ASSERT_TRUE(init.Send(Info("again")));
    claims.insert(init.state().claim);
    secrets.insert(Base64Encode(init.state().secret));
    EXPECT_TRUE(IsUuidV4(init.state().claim));
  }
  for (const HttpRequest& r : relay_.requests) {
    std::string id = HeaderOf(r, kHeaderRequestId).value();
    EXPECT_TRUE(IsUuidV4(id));
    request_ids.insert(id);
    if (!r.body.empty()) ivs.insert(PayloadDataOf(r).substr(0, 16));
  }
  EXPECT_EQ(claims.size(), 3u);
  EXPECT_EQ(secrets.size(), 3u);
  EXPECT_EQ(request_ids.size(), relay_.requests.size());
  EXPECT_EQ(ivs.size(), 6u);  // 3 creates + 3 updates, each with its own IV
}

TEST_F(DeviceTest, SeparateDeliveryKeepsTheSecretOutOfTheUrl) {
  Device& init = Initiator();
  ShareParams p = DefaultShare();
  p.delivery = SecretDelivery::kSeparate;
  p.cipher = Cipher::kAes128Gcm;
  ShareResult s = init.Share(p).value();
  EXPECT_EQ(s.share_url.find('#'), std::string::npos);
  ASSERT_TRUE(s.secret.has_value());
  EXPECT_EQ(s.secret->size(), 16u);
  Device& recip = Recipient();
  EXPECT_TRUE(recip.Accept(Url(s.share_url)).error().Is(Errc::kUrlBadSecret));
  EXPECT_EQ(recip.Accept(Url(s.share_url, s.secret)).value().info, Info("message 1"));
}

TEST_F(DeviceTest, RecipientNeverSendsTheFragmentAndKeepsTheQuery) {
  ShareResult s = Initiator().Share(DefaultShare()).value();
  std::string fragment = s.share_url.substr(s.share_url.find('#') + 1);
  Device& recip = Recipient();
  ASSERT_TRUE(recip.Accept(Url(s.share_url)));
  ASSERT_TRUE(recip.Send(Info("x")));
  for (std::size_t i = 1; i < relay_.requests.size(); ++i) {
    const HttpRequest& r = relay_.requests[i];
    EXPECT_EQ(r.url.find('#'), std::string::npos);
    EXPECT_EQ(r.url.find(fragment.substr(0, 10)), std::string::npos);
    EXPECT_NE(r.url.find("?v=c"), std::string::npos);
    for (const auto& [k, v] : r.headers)
      EXPECT_EQ(v.find(fragment.substr(0, 10)), std::string::npos) << k;
  }
}

TEST_F(DeviceTest, RecipientRefusesAnHttpShareUrlBeforeAnyRequest) {
  ShareResult s = Initiator().Share(DefaultShare()).value();
  std::string http = "http" + s.share_url.substr(5);
  std::size_t before = relay_.requests.size();
  auto r = Recipient().Accept(Url(http));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kUrlNotHttps));
  EXPECT_EQ(relay_.requests.size(), before);
}

TEST_F(DeviceTest, RecipientClaimDiffersFromTheInitiatorClaim) {
  Device& init = Initiator();
  ShareResult s = init.Share(DefaultShare()).value();
  Device& recip = Recipient();
  ASSERT_TRUE(recip.Accept(Url(s.share_url, std::nullopt, init.state().claim)));
  EXPECT_NE(recip.state().claim, init.state().claim);
  EXPECT_TRUE(IsUuidV4(recip.state().claim));
}

TEST_F(DeviceTest, ResendsWithTheSameRequestIdAndTreats201AsDone) {
  Device& init = Initiator();
  relay_.drop_next_responses = 1;  // the create is processed but its answer is lost
  ShareResult s = init.Share(DefaultShare()).value();
  ASSERT_EQ(relay_.requests.size(), 2u);
  EXPECT_EQ(HeaderOf(relay_.requests[0], kHeaderRequestId),
            HeaderOf(relay_.requests[1], kHeaderRequestId));
  EXPECT_EQ(relay_.requests[0].body, relay_.requests[1].body);
  EXPECT_EQ(relay_.mailboxes.size(), 1u);
  EXPECT_NE(s.share_url.find(relay_.mailboxes.begin()->first), std::string::npos);
  relay_.drop_next_responses = 1;
  ASSERT_TRUE(init.Send(Info("again")));
  EXPECT_EQ(HeaderOf(relay_.requests[2], kHeaderRequestId),
            HeaderOf(relay_.requests[3], kHeaderRequestId));
}

TEST_F(DeviceTest, RequestIdRetryResendsAnAnsweredRequestAndContinuesOn201) {
  Device& init = Initiator();
  ShareParams p = DefaultShare();
  p.request_id_retry = true;
  ShareResult s = init.Share(p).value();
  ASSERT_EQ(relay_.requests.size(), 2u);
  EXPECT_EQ(HeaderOf(relay_.requests[0], kHeaderRequestId),
            HeaderOf(relay_.requests[1], kHeaderRequestId));
  EXPECT_EQ(relay_.mailboxes.size(), 1u);
  EXPECT_NE(s.share_url.find(relay_.mailboxes.begin()->first), std::string::npos);
  ASSERT_TRUE(init.Send(Info("2"), std::nullopt, true));
  EXPECT_EQ(relay_.requests.size(), 4u);
  relay_.create_201_without_body = true;
  EXPECT_EQ(RpcCodeFor(init.Share(p).error()), kRpcProtocol);  // C-05: no urlLink to go on
}

TEST_F(DeviceTest, RefusesA201CreateWithoutUrlLink) {
  Device& init = Initiator();
  relay_.drop_next_responses = 1;
  relay_.create_201_without_body = true;
  auto r = init.Share(DefaultShare());
  ASSERT_FALSE(r);
  EXPECT_EQ(RpcCodeFor(r.error()), kRpcProtocol);
}

TEST_F(DeviceTest, GivesUpWithTransportErrorWhenNoResponseEverArrives) {
  Device& init = Initiator();
  relay_.drop_next_responses = 5;
  auto r = init.Share(DefaultShare());
  ASSERT_FALSE(r);
  EXPECT_EQ(RpcCodeFor(r.error()), kRpcTransport);
  EXPECT_EQ(relay_.requests.size(), 2u);
}

TEST_F(DeviceTest, RefusesAMismatchedOrMissingRequestIdEcho) {
  Device& init = Initiator();
  ASSERT_TRUE(init.Share(DefaultShare()));
  relay_.mutate_response = [](HttpResponse& r) { r.headers.clear(); };
  EXPECT_EQ(RpcCodeFor(init.Send(Info("x")).error()), kRpcProtocol);
  relay_.mutate_response = [](HttpResponse& r) {
    r.headers = {{std::string(kHeaderRequestId), NewUuidV4()}};
  };
  EXPECT_EQ(RpcCodeFor(init.Send(Info("x")).error()), kRpcProtocol);
  EXPECT_EQ(RpcCodeFor(init.Receive().error()), kRpcProtocol);
}

TEST_F(DeviceTest, IgnoreRequestIdEchoFaultAcceptsAMismatchedEcho) {
  Device& init = Initiator(Fault::kIgnoreRequestIdEcho);
  relay_.mutate_response = [](HttpResponse& r) {
    r.headers = {{std::string(kHeaderRequestId), NewUuidV4()}};
  };
  ASSERT_TRUE(init.Share(DefaultShare()));
  EXPECT_TRUE(init.Send(Info("x")));
}

TEST_F(DeviceTest, RelayErrorsCarryTheirStatus) {
  Device& init = Initiator();
  ShareResult s = init.Share(DefaultShare()).value();
  ASSERT_TRUE(Recipient().Accept(Url(s.share_url)));
  Device other(recipient_transport_, {}, recipient_memory_);
  auto r = other.Accept(Url(s.share_url));
  ASSERT_FALSE(r);
  EXPECT_EQ(RpcCodeFor(r.error()), kRpcRelayRefused);
  EXPECT_EQ(RelayStatus(r.error()), 401);
  ASSERT_TRUE(init.Close());
  auto again = init.Close();
  EXPECT_EQ(RelayStatus(again.error()), 404);
}

TEST_F(DeviceTest, RefusesTamperedTruncatedAndWrongTypePayloadsWith1001) {
  ShareResult s = Initiator().Share(DefaultShare()).value();
  std::string original = relay_.mailboxes.begin()->second.payload_json;
  auto serve = [&](const std::string& type, const std::string& data) {
    relay_.mailboxes.begin()->second.payload_json = Json{{"type", type}, {"data", data}}.dump();
    relay_.mailboxes.begin()->second.recipient.reset();
    Device d(recipient_transport_, {}, recipient_memory_);
    return d.Accept(Url(s.share_url));
  };
  Json p = Json::parse(original);
  std::string data = p["data"].get<std::string>();
  Bytes raw = Base64Decode(data).value();
  raw[raw.size() / 2] ^= 0x01;
  EXPECT_EQ(RpcCodeFor(serve("AEAD_AES_256_GCM", Base64Encode(raw)).error()), kRpcIntegrity);
  EXPECT_EQ(RpcCodeFor(serve("AEAD_AES_256_GCM", Base64Encode(Bytes(20, 1))).error()),
            kRpcIntegrity);
  EXPECT_EQ(RpcCodeFor(serve("AEAD_AES_256_GCM", "***not base64***").error()), kRpcIntegrity);
  EXPECT_EQ(RpcCodeFor(serve("AEAD_AES_128_GCM", data).error()), kRpcIntegrity);
  EXPECT_EQ(RpcCodeFor(serve("AES256", data).error()), kRpcIntegrity);
  EXPECT_TRUE(serve("AEAD_AES_256_GCM", data));
}

TEST_F(DeviceTest, RefusesAPayloadReplayedFromAnotherMailboxWith1001) {
  Device& init = Initiator();
  ShareResult first = init.Share(DefaultShare()).value();
  ASSERT_TRUE(init.Share(DefaultShare()));  // a second mailbox, another Secret
  ASSERT_EQ(relay_.mailboxes.size(), 2u);
  auto a = relay_.mailboxes.begin();
  auto b = std::next(a);
  a->second.payload_json = b->second.payload_json;
  auto r = Recipient().Accept(Url(first.share_url));
  ASSERT_FALSE(r);
  EXPECT_EQ(RpcCodeFor(r.error()), kRpcIntegrity);
}

TEST_F(DeviceTest, RefusesPlaintextThatIsNotProvisioningInfoWith1005) {
  ShareResult s = Initiator().Share(DefaultShare()).value();
  Bytes key = ParseShareUrl(s.share_url).value().secret.value();
  Payload p = SealPayload(Cipher::kAes256Gcm, key, ToBytes(R"({"format":"x"})")).value();
  relay_.mailboxes.begin()->second.payload_json = ToJson(p).dump();
  auto r = Recipient().Accept(Url(s.share_url));
  EXPECT_EQ(RpcCodeFor(r.error()), kRpcProtocol);
}

TEST_F(DeviceTest, RefusesARelayAnswerNestedTooDeepWith1005) {
  ShareResult s = Initiator().Share(DefaultShare()).value();
  // A hostile relay: 1000000 nested arrays where the payload belongs.
  relay_.mutate_response = [](HttpResponse& r) {
    r.body = R"({"payload":)" + std::string(1000000, '[') + std::string(1000000, ']') + "}";
  };
  auto r = Recipient().Accept(Url(s.share_url));
  ASSERT_FALSE(r);
  EXPECT_EQ(RpcCodeFor(r.error()), kRpcProtocol) << r.error().Message();
}

TEST_F(DeviceTest, RefusesDecryptedContentNestedTooDeepWith1005) {
  ShareResult s = Initiator().Share(DefaultShare()).value();
  Bytes key = ParseShareUrl(s.share_url).value().secret.value();
  const std::string text = R"({"format":"x","content":{"a":)" + std::string(1000000, '[') +
                           std::string(1000000, ']') + "}}";
  Payload p = SealPayload(Cipher::kAes256Gcm, key, ToBytes(text)).value();
  relay_.mailboxes.begin()->second.payload_json = ToJson(p).dump();
  auto r = Recipient().Accept(Url(s.share_url));
  ASSERT_FALSE(r);
  EXPECT_EQ(RpcCodeFor(r.error()), kRpcProtocol) << r.error().Message();
}

TEST_F(DeviceTest, OperationsBeforeAShareAreRefused) {
  Device& d = Recipient();
  EXPECT_TRUE(d.Send(Info("x")).error().Is(Errc::kDeviceNotReady));
  EXPECT_TRUE(d.Receive().error().Is(Errc::kDeviceNotReady));
  EXPECT_TRUE(d.Close().error().Is(Errc::kDeviceNotReady));
  EXPECT_TRUE(d.Relinquish().error().Is(Errc::kDeviceNotReady));
  EXPECT_TRUE(relay_.requests.empty());
}

TEST_F(DeviceTest, RelinquishLetsAnotherRecipientBind) {
  ShareResult s = Initiator().Share(DefaultShare()).value();
  Device& first = Recipient();
  ASSERT_TRUE(first.Accept(Url(s.share_url)));
  ASSERT_TRUE(first.Relinquish());
  FaultMemory m;
  Device second(recipient_transport_, {}, m);
  EXPECT_TRUE(second.Accept(Url(s.share_url)));
}

TEST_F(DeviceTest, StateSurvivesAJsonRoundTrip) {
  Device& init = Initiator();
  ShareParams p = DefaultShare();
  p.notify = NotificationToken{"webhook", "https://hook.test/a"};
  p.attest = true;
  ASSERT_TRUE(init.Share(p));
  ASSERT_TRUE(init.state().attestation);
  DeviceState back = DeviceStateFromJson(DeviceStateToJson(init.state())).value();
  EXPECT_EQ(back, init.state());
  EXPECT_TRUE(DeviceStateFromJson(Json{{"role", "boss"}}).error().Is(Errc::kStateFileInvalid));
}

TEST_F(DeviceTest, AttestsEveryRequestOfAShareWithAValueFreshPerShareOnlyWhenAsked) {
  Device& init = Initiator();
  Device& recip = Recipient();
  ShareParams p = DefaultShare();
  p.attest = true;
  std::set<std::string> values;
  for (int i = 0; i < 2; ++i) {
    ShareResult s = init.Share(p).value();
    AcceptParams a = Url(s.share_url);
    a.attest = true;
    ASSERT_TRUE(recip.Accept(a));
    ASSERT_TRUE(recip.Send(Info("reply")));
  }
  for (const HttpRequest& r : relay_.requests) {
    auto v = HeaderOf(r, kHeaderAttestation);
    ASSERT_TRUE(v) << r.method << " " << r.url;
    values.insert(*v);
  }
  EXPECT_EQ(values.size(), 4u);  // two shares, two devices

  const std::size_t before = relay_.requests.size();
  ASSERT_TRUE(init.Share(DefaultShare()));
  EXPECT_FALSE(HeaderOf(relay_.requests.at(before), kHeaderAttestation));
}

TEST_F(DeviceTest, AttestationReuseSendsOneValueForEveryShare) {
  Device& init = Initiator(Fault::kAttestationReuse);
  ShareParams p = DefaultShare();
  p.attest = true;
  ASSERT_TRUE(init.Share(p));
  ASSERT_TRUE(init.Share(p));
  ASSERT_EQ(relay_.requests.size(), 2u);
  EXPECT_EQ(HeaderOf(relay_.requests[0], kHeaderAttestation),
            HeaderOf(relay_.requests[1], kHeaderAttestation));
}

// ---- Each deliberate fault changes exactly the behaviour it names. ----

TEST_F(DeviceTest, FaultIvReuseSealsEveryMessageWithOneIv) {
  Device& init = Initiator(Fault::kIvReuse);
  ASSERT_TRUE(init.Share(DefaultShare()));
  ASSERT_TRUE(init.Send(Info("2")));
  ASSERT_TRUE(init.Share(DefaultShare()));
  std::set<std::string> ivs;
  for (const HttpRequest& r : relay_.requests) {
    if (r.method == "POST" || r.method == "PUT")
      ivs.insert(HexEncode(ByteView(Base64Decode(PayloadDataOf(r)).value()).first(12)));
  }
  EXPECT_EQ(ivs.size(), 1u);
}

TEST_F(DeviceTest, FaultSecretToRelaySendsTheSecretInAHeader) {
  Device& init = Initiator(Fault::kSecretToRelay);
  ShareResult s = init.Share(DefaultShare()).value();
  EXPECT_EQ(HeaderOf(relay_.requests[0], "X-Tigress-Debug-Secret"),
            Base64Encode(init.state().secret));
  Device& clean = Initiator();
  ASSERT_TRUE(clean.Share(DefaultShare()));
  EXPECT_FALSE(HeaderOf(relay_.requests.back(), "X-Tigress-Debug-Secret"));
}

TEST_F(DeviceTest, FaultFragmentToRelayPutsTheFragmentInTheQuery) {
  ShareResult s = Initiator().Share(DefaultShare()).value();
  std::string fragment = s.share_url.substr(s.share_url.find('#') + 1);
  ASSERT_TRUE(Recipient(Fault::kFragmentToRelay).Accept(Url(s.share_url)));
  const std::string& url = relay_.requests.back().url;
  EXPECT_NE(url.find("&fragment="), std::string::npos);
  // The parameter is the fragment, percent-encoded ('+', '/', '=' become %XX).
  std::string sent = url.substr(url.find("&fragment=") + 10);
  std::string decoded;
  for (std::size_t i = 0; i < sent.size(); ++i) {
    if (sent[i] == '%' && i + 2 < sent.size()) {
      decoded += static_cast<char>(std::stoi(sent.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      decoded += sent[i];
    }
  }
  EXPECT_EQ(decoded, fragment);
}

TEST_F(DeviceTest, FaultClaimReuseUsesOneClaimForEveryShare) {
  Device& init = Initiator(Fault::kClaimReuse);
  ASSERT_TRUE(init.Share(DefaultShare()));
  std::string first = init.state().claim;
  ASSERT_TRUE(init.Share(DefaultShare()));
  EXPECT_EQ(init.state().claim, first);
}

TEST_F(DeviceTest, FaultTokenReuseSendsOneTokenForEveryShare) {
  Device& init = Initiator(Fault::kTokenReuse);
  ShareParams p = DefaultShare();
  p.notify = NotificationToken{"webhook", "https://hook.test/one"};
  ASSERT_TRUE(init.Share(p));
  p.notify = NotificationToken{"webhook", "https://hook.test/two"};
  ASSERT_TRUE(init.Share(p));
  EXPECT_EQ(Json::parse(relay_.requests.back().body)["notificationToken"]["tokenData"],
            "https://hook.test/one");
}

TEST_F(DeviceTest, FaultClaimNotV4UsesVersionOneClaims) {
  Device& init = Initiator(Fault::kClaimNotV4);
  ASSERT_TRUE(init.Share(DefaultShare()));
  std::string first = init.state().claim;
  EXPECT_EQ(UuidVersion(first), 1);
  ASSERT_TRUE(init.Share(DefaultShare()));
  EXPECT_NE(init.state().claim, first);  // fresh, so only the version is wrong
}

TEST_F(DeviceTest, FaultClaimSameAsInitiatorReusesTheInitiatorClaim) {
  Device& init = Initiator();
  ShareResult s = init.Share(DefaultShare()).value();
  Device& recip = Recipient(Fault::kClaimSameAsInitiator);
  ASSERT_TRUE(recip.Accept(Url(s.share_url, std::nullopt, init.state().claim)));
  EXPECT_EQ(recip.state().claim, init.state().claim);
  EXPECT_EQ(Initiator(Fault::kClaimSameAsInitiator).Share(DefaultShare()).value().share_url.empty(),
            false);
  EXPECT_EQ(initiator_->state().claim, kSharedFaultClaim);
}

TEST_F(DeviceTest, FaultSkipIntegrityReturnsTamperedContent) {
  ShareResult s = Initiator().Share(DefaultShare()).value();
  Json p = Json::parse(relay_.mailboxes.begin()->second.payload_json);
  Bytes raw = Base64Decode(p["data"].get<std::string>()).value();
  // Flip a bit inside the "message 1" string so the plaintext still parses.
  std::string plain = ToJson(Info("message 1")).dump();
  std::size_t at = plain.find("message 1") + 8;
  raw[12 + at] ^= 0x01;
  p["data"] = Base64Encode(raw);
  relay_.mailboxes.begin()->second.payload_json = p.dump();
  EXPECT_EQ(RpcCodeFor(Recipient().Accept(Url(s.share_url)).error()), kRpcIntegrity);
  relay_.mailboxes.begin()->second.recipient.reset();
  AcceptResult a = Recipient(Fault::kSkipIntegrity).Accept(Url(s.share_url)).value();
  EXPECT_EQ(a.info, Info("message 0"));
}

TEST_F(DeviceTest, FaultIdentifyingDisplayInfoAddsPii) {
  ASSERT_TRUE(Initiator(Fault::kIdentifyingDisplayInfo).Share(DefaultShare()));
  std::string d = Json::parse(relay_.requests[0].body)["displayInformation"]["description"];
  EXPECT_NE(d.find("+1-202-555-0143"), std::string::npos);
}

TEST_F(DeviceTest, FaultPlaintextPayloadSendsBase64OfThePlaintext) {
  ASSERT_TRUE(Initiator(Fault::kPlaintextPayload).Share(DefaultShare()));
  std::string text = ToString(Base64Decode(PayloadDataOf(relay_.requests[0])).value());
  EXPECT_EQ(Json::parse(text), ToJson(Info("message 1")));
}

TEST_F(DeviceTest, FaultRequestIdReuseSendsOneRequestIdEverywhere) {
  Device& init = Initiator(Fault::kRequestIdReuse);
  ASSERT_TRUE(init.Share(DefaultShare()));
  ASSERT_TRUE(init.Send(Info("x")));  // the relay takes it for a duplicate: 201
  ASSERT_TRUE(init.Receive().error().Is(Errc::kNoNewMessage));
  std::set<std::string> ids;
  for (const HttpRequest& r : relay_.requests) ids.insert(HeaderOf(r, kHeaderRequestId).value());
  EXPECT_EQ(ids.size(), 1u);
}

TEST_F(DeviceTest, FaultSecretReuseUsesOneSecretForEveryShare) {
  Device& init = Initiator(Fault::kSecretReuse);
  ASSERT_TRUE(init.Share(DefaultShare()));
  Bytes first = init.state().secret;
  ASSERT_TRUE(init.Share(DefaultShare()));
  EXPECT_EQ(init.state().secret, first);
}

TEST_F(DeviceTest, FaultWeakSecretZeroesTheSecondHalfOfEverySecret) {
  Device& init = Initiator(Fault::kWeakSecret);
  ShareResult s = init.Share(DefaultShare()).value();
  const Bytes wide = init.state().secret;
  ASSERT_EQ(wide.size(), 32u);
  EXPECT_EQ(Bytes(wide.begin() + 16, wide.end()), Bytes(16, 0));
  EXPECT_NE(Bytes(wide.begin(), wide.begin() + 16), Bytes(16, 0));
  // Nothing else changes: the share opens with the weak Secret.
  EXPECT_EQ(Recipient().Accept(Url(s.share_url)).value().info, Info("message 1"));

  ShareParams p = DefaultShare();
  p.cipher = Cipher::kAes128Gcm;
  p.delivery = SecretDelivery::kSeparate;
  ShareResult narrow_share = init.Share(p).value();
  const Bytes narrow = init.state().secret;
  ASSERT_EQ(narrow.size(), 16u);
  EXPECT_EQ(narrow_share.secret, narrow);
  EXPECT_EQ(Bytes(narrow.begin() + 8, narrow.end()), Bytes(8, 0));
  // The random half is new per share (64 random bits collide with chance 2^-64).
  EXPECT_NE(Bytes(narrow.begin(), narrow.begin() + 8), Bytes(wide.begin(), wide.begin() + 8));
  Bytes plain = OpenData(Cipher::kAes128Gcm, narrow, PayloadDataOf(relay_.requests.back())).value();
  EXPECT_EQ(Json::parse(ToString(plain)), ToJson(Info("message 1")));
}

TEST_F(DeviceTest, FaultExpirationNotUtcAndNoWriteRightChangeTheConfiguration) {
  ASSERT_TRUE(Initiator().Share(DefaultShare()));
  Json clean = Json::parse(relay_.requests.back().body)["mailboxConfiguration"];
  EXPECT_EQ(clean["expiration"], "2030-01-01T00:00:00Z");
  EXPECT_EQ(clean["accessRights"], "RWD");
  ASSERT_TRUE(Initiator(Fault::kExpirationNotUtc).Share(DefaultShare()));
  EXPECT_EQ(Json::parse(relay_.requests.back().body)["mailboxConfiguration"]["expiration"],
            "2030-01-01T00:00:00+00:00");
  ASSERT_TRUE(Initiator(Fault::kNoWriteRight).Share(DefaultShare()));
  EXPECT_EQ(Json::parse(relay_.requests.back().body)["mailboxConfiguration"]["accessRights"], "RD");
}

TEST(Faults, EveryFaultHasANameRequirementsAndParsesBack) {
  EXPECT_GE(AllFaults().size(), 13u);
  for (const FaultInfo& f : AllFaults()) {
    EXPECT_EQ(ParseFault(f.name).value(), f.fault);
    EXPECT_EQ(FaultName(f.fault), f.name);
    EXPECT_FALSE(f.requirements.empty());
  }
  EXPECT_EQ(ParseFault("").value(), Fault::kNone);
  EXPECT_TRUE(ParseFault("iv_reuse").error().Is(Errc::kFaultUnknown));
}

}  // namespace
}  // namespace tigress::device
