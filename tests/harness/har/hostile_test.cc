#include "harness/har/hostile.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "protocol/encoding.h"
#include "protocol/uuid.h"

namespace tigress::harness {
namespace {

TEST(HostileModeNames, AreTheNamesScenariosWrite) {
  EXPECT_EQ(HostileModeName(HostileMode::kOff), "off");
  EXPECT_EQ(HostileModeName(HostileMode::kFlipBit), "flip-bit");
  EXPECT_EQ(HostileModeName(HostileMode::kTruncate), "truncate");
  EXPECT_EQ(HostileModeName(HostileMode::kReplayOlder), "replay-older");
  EXPECT_EQ(HostileModeName(HostileMode::kSwapMailbox), "swap-mailbox");
  EXPECT_EQ(HostileModeName(HostileMode::kRequestIdMismatch), "request-id-mismatch");
  EXPECT_EQ(HostileModeName(HostileMode::kUntrustedCert), "untrusted-cert");
}

TEST(HostileModeNames, ParseBackToTheirMode) {
  for (HostileMode m :
       {HostileMode::kOff, HostileMode::kFlipBit, HostileMode::kTruncate, HostileMode::kReplayOlder,
        HostileMode::kSwapMailbox, HostileMode::kRequestIdMismatch, HostileMode::kUntrustedCert}) {
    EXPECT_EQ(ParseHostileMode(HostileModeName(m)), m) << HostileModeName(m);
  }
}

TEST(HostileModeNames, ListEveryNameInOrderForMessages) {
  EXPECT_EQ(HostileModeList(),
            "off, flip-bit, truncate, replay-older, swap-mailbox, request-id-mismatch, "
            "untrusted-cert");
}

TEST(HostileModeNames, RefuseAnyOtherText) {
  EXPECT_EQ(ParseHostileMode(""), std::nullopt);
  EXPECT_EQ(ParseHostileMode("Flip-Bit"), std::nullopt);
  EXPECT_EQ(ParseHostileMode("flip_bit"), std::nullopt);
  EXPECT_EQ(ParseHostileMode("flip-bit "), std::nullopt);
  EXPECT_EQ(ParseHostileMode("no-such-mode"), std::nullopt);
}

}  // namespace
}  // namespace tigress::harness

namespace tigress::harness {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

// A payload.data of `n` octets: the 12-octet nonce, ciphertext and tag, all
// numbered from `first` so two payloads differ.
std::string Data(std::size_t n, std::uint8_t first = 0) {
  Bytes raw(n);
  for (std::size_t i = 0; i < n; ++i) {
    raw[i] = static_cast<std::uint8_t>(first + i);
  }
  return Base64Encode(raw);
}

std::string PayloadBody(const std::string& data) {
  return R"({"payload":{"type":"AEAD_AES_128_GCM","data":")" + data + R"("}})";
}

RelayAnswer Ok(const std::string& body) {
  return {200, {{"Content-Type", "application/json"}, {"Mailbox-Request-ID", "r-1"}}, body};
}

std::string ServedData(const HostileOutcome& out) {
  return nlohmann::json::parse(out.answer.body)["payload"]["data"].get<std::string>();
}

Bytes ServedOctets(const HostileOutcome& out) { return Base64Decode(ServedData(out)).value(); }

TEST(ApplyHostile, OffServesTheRelaysAnswerUnchanged) {
  HostileState state;
  const RelayAnswer in = Ok(PayloadBody(Data(48)));
  const auto out = ApplyHostile(HostileMode::kOff, "/v1/m/a", in, state);
  EXPECT_EQ(out.answer.status, 200);
  EXPECT_EQ(out.answer.headers, in.headers);
  EXPECT_EQ(out.answer.body, in.body);
  EXPECT_EQ(out.note, "");
}

TEST(ApplyHostile, FlipBitFlipsTheLowBitOfTheFirstCiphertextOctet) {
  HostileState state;
  const RelayAnswer in = Ok(PayloadBody(Data(48)));
  const auto out = ApplyHostile(HostileMode::kFlipBit, "/v1/m/a", in, state);
  Bytes want = Base64Decode(Data(48)).value();
  want[12] ^= 0x01;
  EXPECT_EQ(ServedOctets(out), want);
  EXPECT_EQ(nlohmann::json::parse(out.answer.body)["payload"]["type"], "AEAD_AES_128_GCM");
  EXPECT_EQ(out.answer.headers, in.headers);
  EXPECT_EQ(out.note, "hostile: flip-bit");
}

TEST(ApplyHostile, TruncateDropsTheLastEightOctets) {
  HostileState state;
  const auto out =
      ApplyHostile(HostileMode::kTruncate, "/v1/m/a", Ok(PayloadBody(Data(48))), state);
  Bytes want = Base64Decode(Data(48)).value();
  want.resize(40);
  EXPECT_EQ(ServedOctets(out), want);
  EXPECT_EQ(out.note, "hostile: truncate");
}

TEST(ApplyHostile, WritesATamperedBodyBackCompactWithItsMembersInNameOrder) {
  HostileState state;
  const std::string in =
      R"({ "z": [1, 2], "payload": {"type": "T", "data": ")" + Data(32) + R"("}, "a": null })";
  const auto out = ApplyHostile(HostileMode::kTruncate, "/v1/m/a", Ok(in), state);
  EXPECT_EQ(out.answer.body,
            R"({"a":null,"payload":{"data":")" + Data(24) + R"(","type":"T"},"z":[1,2]})");
}

TEST(ApplyHostile, FlipBitAndTruncateLeaveAPayloadOfTwentyOctetsOrNotBase64Alone) {
  for (HostileMode mode : {HostileMode::kFlipBit, HostileMode::kTruncate}) {
    HostileState state;
    for (const std::string& data : {Data(20), std::string("not base64!"), Data(21).substr(1)}) {
      const RelayAnswer in = Ok(PayloadBody(data));
      const auto out = ApplyHostile(mode, "/v1/m/a", in, state);
      EXPECT_EQ(out.answer.body, in.body) << HostileModeName(mode) << " " << data;
      EXPECT_EQ(out.note, "");
    }
    const auto just_enough = ApplyHostile(mode, "/v1/m/a", Ok(PayloadBody(Data(21))), state);
    EXPECT_EQ(just_enough.note, "hostile: " + std::string(HostileModeName(mode)));
  }
}

TEST(ApplyHostile, ReplayOlderServesTheOldestDifferentPayloadOfTheSameMailbox) {
  HostileState state;
  const auto first =
      ApplyHostile(HostileMode::kReplayOlder, "/v1/m/a", Ok(PayloadBody(Data(32, 0))), state);
  EXPECT_EQ(first.note, "") << "nothing older to replay";
  ApplyHostile(HostileMode::kReplayOlder, "/v1/m/a?v=c", Ok(PayloadBody(Data(32, 1))), state);
  ApplyHostile(HostileMode::kReplayOlder, "/v1/m/b", Ok(PayloadBody(Data(32, 9))), state);
  const auto third =
      ApplyHostile(HostileMode::kReplayOlder, "/v1/m/a#x", Ok(PayloadBody(Data(32, 2))), state);
  EXPECT_EQ(ServedData(third), Data(32, 0));
  EXPECT_EQ(third.note, "hostile: replay-older");
  const auto again =
      ApplyHostile(HostileMode::kReplayOlder, "/v1/m/a", Ok(PayloadBody(Data(32, 0))), state);
  EXPECT_EQ(ServedData(again), Data(32, 1)) << "the oldest that differs from the current one";
}

TEST(ApplyHostile, ReplayOlderUsesPayloadsRememberedWhileOff) {
  HostileState state;
  ApplyHostile(HostileMode::kOff, "/v1/m/a", Ok(PayloadBody(Data(32, 0))), state);
  const auto out =
      ApplyHostile(HostileMode::kReplayOlder, "/v1/m/a", Ok(PayloadBody(Data(32, 1))), state);
  EXPECT_EQ(ServedData(out), Data(32, 0));
  EXPECT_THAT(state.payloads["/v1/m/a"], ElementsAre(Data(32, 0), Data(32, 1)));
  EXPECT_EQ(state.last_path, "/v1/m/a");
}

TEST(ApplyHostile, SwapMailboxServesTheLatestPayloadOfTheMailboxLastServed) {
  HostileState state;
  ApplyHostile(HostileMode::kSwapMailbox, "/v1/m/b", Ok(PayloadBody(Data(32, 7))), state);
  ApplyHostile(HostileMode::kSwapMailbox, "/v1/m/b", Ok(PayloadBody(Data(32, 8))), state);
  const auto same =
      ApplyHostile(HostileMode::kSwapMailbox, "/v1/m/b?v=c", Ok(PayloadBody(Data(32, 9))), state);
  EXPECT_EQ(same.note, "") << "the last mailbox served is this one";
  const auto other =
      ApplyHostile(HostileMode::kSwapMailbox, "/v1/m/a", Ok(PayloadBody(Data(32, 0))), state);
  EXPECT_EQ(ServedData(other), Data(32, 9));
  EXPECT_EQ(other.note, "hostile: swap-mailbox");
  EXPECT_EQ(state.last_path, "/v1/m/a");
}

TEST(ApplyHostile, SwapMailboxHasNothingToServeOnTheFirstPayload) {
  HostileState state;
  const RelayAnswer in = Ok(PayloadBody(Data(32)));
  const auto out = ApplyHostile(HostileMode::kSwapMailbox, "/v1/m/a", in, state);
  EXPECT_EQ(out.answer.body, in.body);
  EXPECT_EQ(out.note, "");
}

TEST(ApplyHostile, RequestIdMismatchReplacesEveryEchoWithOneFreshUuidLast) {
  HostileState state;
  RelayAnswer in = Ok(PayloadBody(Data(48)));
  in.headers = {{"mailbox-request-id", "r-1"},
                {"Content-Type", "application/json"},
                {"Mailbox-Request-ID", "r-2"},
                {"Cache-Control", "no-store"}};
  in.body = R"({ "payload" : {"data":")" + Data(48) + R"("} })";  // not compact: kept as is
  const auto out = ApplyHostile(HostileMode::kRequestIdMismatch, "/v1/m/a", in, state);
  ASSERT_EQ(out.answer.headers.size(), 3u);
  EXPECT_THAT(
      std::vector(out.answer.headers.begin(), out.answer.headers.begin() + 2),
      ElementsAre(Pair("Content-Type", "application/json"), Pair("Cache-Control", "no-store")));
  EXPECT_EQ(out.answer.headers[2].first, "Mailbox-Request-ID");
  EXPECT_TRUE(IsUuidV4(out.answer.headers[2].second)) << out.answer.headers[2].second;
  EXPECT_EQ(out.answer.body, in.body);
  EXPECT_EQ(out.note, "hostile: request-id-mismatch");
  const auto next = ApplyHostile(HostileMode::kRequestIdMismatch, "/v1/m/a", in, state);
  EXPECT_NE(next.answer.headers[2].second, out.answer.headers[2].second);
}

TEST(ApplyHostile, RequestIdMismatchLeavesAnAnswerWithoutAnEchoAlone) {
  HostileState state;
  const RelayAnswer in{204, {{"Cache-Control", "no-store"}}, ""};
  const auto out = ApplyHostile(HostileMode::kRequestIdMismatch, "/v1/m/a", in, state);
  EXPECT_EQ(out.answer.headers, in.headers);
  EXPECT_EQ(out.note, "");
}

TEST(ApplyHostile, LeavesNon2xxAnswersAloneAndForgetsTheirPayloads) {
  HostileState state;
  for (int status : {199, 300, 404, 500}) {
    for (HostileMode mode : {HostileMode::kFlipBit, HostileMode::kTruncate,
                             HostileMode::kRequestIdMismatch, HostileMode::kReplayOlder}) {
      RelayAnswer in = Ok(PayloadBody(Data(48, static_cast<std::uint8_t>(status))));
      in.status = status;
      const auto out = ApplyHostile(mode, "/v1/m/a", in, state);
      EXPECT_EQ(out.answer.status, status);
      EXPECT_EQ(out.answer.headers, in.headers) << status << " " << HostileModeName(mode);
      EXPECT_EQ(out.answer.body, in.body) << status << " " << HostileModeName(mode);
      EXPECT_EQ(out.note, "");
    }
  }
  EXPECT_TRUE(state.payloads.empty());
  EXPECT_EQ(state.last_path, "");
}

TEST(ApplyHostile, LeavesBodiesWithoutAStringPayloadDataAlone) {
  for (HostileMode mode : {HostileMode::kFlipBit, HostileMode::kTruncate, HostileMode::kReplayOlder,
                           HostileMode::kSwapMailbox}) {
    HostileState state;
    ApplyHostile(HostileMode::kOff, "/v1/m/b", Ok(PayloadBody(Data(48, 5))), state);
    for (const std::string& body : {std::string("not json"), std::string(R"(["payload"])"),
                                    std::string(R"({"a":1})"), std::string(R"({"payload":"x"})"),
                                    std::string(R"({"payload":{"data":7}})"), std::string("")}) {
      const auto out = ApplyHostile(mode, "/v1/m/a", Ok(body), state);
      EXPECT_EQ(out.answer.body, body) << HostileModeName(mode);
      EXPECT_EQ(out.note, "");
    }
    EXPECT_EQ(state.payloads.count("/v1/m/a"), 0u);
  }
}

TEST(ApplyHostile, UntrustedCertLeavesAnswersAlone) {
  HostileState state;
  const RelayAnswer in = Ok(PayloadBody(Data(48)));
  const auto out = ApplyHostile(HostileMode::kUntrustedCert, "/v1/m/a", in, state);
  EXPECT_EQ(out.answer.headers, in.headers);
  EXPECT_EQ(out.answer.body, in.body);
  EXPECT_EQ(out.note, "");
}

}  // namespace
}  // namespace tigress::harness
