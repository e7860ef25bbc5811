#include "reference/device/exchange.h"

#include <gtest/gtest.h>

#include "protocol/payload.h"

namespace tigress::device {
namespace {

HttpResponse WithEcho(int status, std::string echo) {
  HttpResponse r;
  r.status = status;
  r.headers.emplace_back("mailbox-request-id", std::move(echo));
  return r;
}

TEST(RpcCodeFor, ClassifiesErrorsLikeTheContract) {
  EXPECT_EQ(RpcCodeFor(MakeError(Errc::kAuthenticationFailed)), kRpcIntegrity);
  EXPECT_EQ(RpcCodeFor(MakeError(Errc::kBase64Invalid)), kRpcIntegrity);
  EXPECT_EQ(RpcCodeFor(MakeError(Errc::kPayloadTooShort)), kRpcIntegrity);
  EXPECT_EQ(RpcCodeFor(MakeError(Errc::kKeyLengthMismatch)), kRpcIntegrity);
  EXPECT_EQ(RpcCodeFor(MakeError(Errc::kPayloadRejected)), kRpcIntegrity);
  EXPECT_EQ(RpcCodeFor(RelayRefusedError(404, "PUT")), kRpcRelayRefused);
  EXPECT_EQ(RpcCodeFor(MakeError(Errc::kTransportFailure)), kRpcTransport);
  EXPECT_EQ(RpcCodeFor(MakeError(Errc::kNoNewMessage)), kRpcNoNewMessage);
  EXPECT_EQ(RpcCodeFor(MakeError(Errc::kPlaintextNotProvisioningInfo)), kRpcProtocol);
  EXPECT_EQ(RpcCodeFor(MakeError(Errc::kProtocolViolation)), kRpcProtocol);
  EXPECT_EQ(RpcCodeFor(MakeError(Errc::kUrlBadPath)), kRpcInvalidParams);
  EXPECT_EQ(RpcCodeFor(MakeError(Errc::kDeviceUsage)), kRpcInvalidParams);
  EXPECT_EQ(RpcCodeFor(MakeError(Errc::kCryptoFailure)), kRpcInternal);
}

TEST(RelayStatus, ReadsBackTheStatusOfARefusal) {
  EXPECT_EQ(RelayStatus(RelayRefusedError(401, "POST read")), 401);
  EXPECT_FALSE(RelayStatus(MakeError(Errc::kTransportFailure, "HTTP 401")));
}

TEST(CheckRequestIdEcho, AcceptsOnlyTheIdenticalValue) {
  EXPECT_TRUE(CheckRequestIdEcho(WithEcho(200, "abc"), "abc"));
  EXPECT_TRUE(CheckRequestIdEcho(WithEcho(200, "ABC"), "abc").error().Is(Errc::kProtocolViolation));
  HttpResponse none;
  none.status = 200;
  EXPECT_TRUE(CheckRequestIdEcho(none, "abc").error().Is(Errc::kProtocolViolation));
}

TEST(CheckRequestIdEcho, LooksForTheEchoUnderTheHeaderItIsGiven) {
  HttpResponse other = WithEcho(200, "abc");
  EXPECT_TRUE(CheckRequestIdEcho(other, "abc", "Mailbox-Request-ID"));
  auto missing = CheckRequestIdEcho(other, "abc", "X-Request-Tag");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().detail.find("no X-Request-Tag echo"), std::string::npos)
      << missing.error().detail;
}

TEST(CheckSuccessStatus, SplitsSuccessRefusalAndUndefinedStatuses) {
  EXPECT_EQ(CheckSuccessStatus(WithEcho(200, ""), "x").value(), 200);
  EXPECT_EQ(CheckSuccessStatus(WithEcho(201, ""), "x").value(), 201);
  EXPECT_EQ(RelayStatus(CheckSuccessStatus(WithEcho(503, ""), "x").error()), 503);
  EXPECT_TRUE(CheckSuccessStatus(WithEcho(302, ""), "x").error().Is(Errc::kProtocolViolation));
  EXPECT_TRUE(CheckSuccessStatus(WithEcho(204, ""), "x").error().Is(Errc::kProtocolViolation));
}

TEST(UrlLinkFromCreateResponse, NeedsAUrlLinkEvenOnA201) {
  HttpResponse r;
  r.status = 201;
  EXPECT_TRUE(UrlLinkFromCreateResponse(r).error().Is(Errc::kProtocolViolation));
  r.body =
      R"({"urlLink":"https://relay.test/v1/m/2bba630e-519b-41ec-bf63-0242ac130002","isPushNotificationSupported":false})";
  EXPECT_EQ(UrlLinkFromCreateResponse(r).value(),
            "https://relay.test/v1/m/2bba630e-519b-41ec-bf63-0242ac130002");
  r.body =
      R"({"urlLink":"http://relay.test/v1/m/2bba630e-519b-41ec-bf63-0242ac130002","isPushNotificationSupported":false})";
  EXPECT_TRUE(UrlLinkFromCreateResponse(r).error().Is(Errc::kProtocolViolation));
}

TEST(ParseReadBody, TellsABrokenPayloadFromABrokenEnvelope) {
  EXPECT_TRUE(ParseReadBody("not json", false).error().Is(Errc::kProtocolViolation));
  EXPECT_TRUE(ParseReadBody(R"({"x":1})", false).error().Is(Errc::kProtocolViolation));
  EXPECT_TRUE(ParseReadBody(R"({"payload":{"type":"AEAD_AES_128_GCM"}})", false)
                  .error()
                  .Is(Errc::kPayloadRejected));
  EXPECT_TRUE(ParseReadBody(R"({"payload":{"type":"t","data":"d"}})", true)
                  .error()
                  .Is(Errc::kProtocolViolation));
  // C-12: a JSON string holding the payload object is tolerated.
  ReadBody b = ParseReadBody(R"({"payload":"{\"type\":\"t\",\"data\":\"d\"}"})", false).value();
  EXPECT_EQ(b.payload.data, "d");
}

TEST(OpenProvisioningInfo, RequiresTheTypeOfTheSecretsLength) {
  Bytes key(16, 7);
  Payload p =
      SealPayload(Cipher::kAes128Gcm, key, ToBytes(R"({"format":"f","content":{}})")).value();
  EXPECT_EQ(OpenProvisioningInfo(p, key).value().format, "f");
  p.type = "AEAD_AES_256_GCM";
  EXPECT_EQ(RpcCodeFor(OpenProvisioningInfo(p, key).error()), kRpcIntegrity);
  Payload q = SealPayload(Cipher::kAes128Gcm, key, ToBytes("[1,2]")).value();
  EXPECT_EQ(RpcCodeFor(OpenProvisioningInfo(q, key).error()), kRpcProtocol);
}

// Deep enough that copying the parsed value would overflow the stack.
std::string NestedArrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(ParseReadBody, RefusesABodyNestedTooDeepAsAProtocolViolationWithoutParsingIt) {
  const std::string body = R"({"payload":)" + NestedArrays(1000000) + "}";
  auto r = ParseReadBody(body, true);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kProtocolViolation)) << r.error().Message();
  EXPECT_NE(r.error().detail.find("nested deeper than 128"), std::string::npos);
}

TEST(ParseReadBody, RefusesAPayloadStringNestedTooDeepLikeAnyUnreadablePayload) {
  const std::string body = Json{{"payload", NestedArrays(1000000)}}.dump();
  auto r = ParseReadBody(body, false);
  ASSERT_FALSE(r);
  EXPECT_EQ(RpcCodeFor(r.error()), kRpcIntegrity) << r.error().Message();
}

TEST(OpenProvisioningInfo, RefusesPlaintextNestedTooDeepWith1005) {
  Bytes key(16, 7);
  const std::string text = R"({"format":"f","content":{"a":)" + NestedArrays(1000000) + "}}";
  Payload p = SealPayload(Cipher::kAes128Gcm, key, ToBytes(text)).value();
  auto r = OpenProvisioningInfo(p, key);
  ASSERT_FALSE(r);
  EXPECT_EQ(RpcCodeFor(r.error()), kRpcProtocol) << r.error().Message();
}

}  // namespace
}  // namespace tigress::device
