// File: harness/har/hostile.cc
#include "harness/har/hostile.h"

#include <algorithm>
#include <array>
#include <utility>

#include <nlohmann/json.hpp>

#include "protocol/encoding.h"
#include "protocol/text.h"
#include "protocol/uuid.h"

namespace tigress::harness {
namespace {

constexpr std::array<std::pair<HostileMode, std::string_view>, 7> kNames = {{
    {HostileMode::kOff, "off"},
    {HostileMode::kFlipBit, "flip-bit"},
    {HostileMode::kTruncate, "truncate"},
    {HostileMode::kReplayOlder, "replay-older"},
    {HostileMode::kSwapMailbox, "swap-mailbox"},
    {HostileMode::kRequestIdMismatch, "request-id-mismatch"},
    {HostileMode::kUntrustedCert, "untrusted-cert"},
}};

// AES-GCM framing of payload.data: a 12-octet nonce, the ciphertext, a
// 16-octet tag.
constexpr std::size_t kNonceOctets = 12;
constexpr std::size_t kHalfTagOctets = 8;

bool HasPayloadData(const nlohmann::json& body) {
  return body.is_object() && body.contains("payload") && body["payload"].is_object() &&
         body["payload"].contains("data") && body["payload"]["data"].is_string();
}

// Notes `data` as served from `path` and returns what replay-older or
// swap-mailbox would serve instead ("" for nothing), judged on what was
// remembered before this answer.
std::string RememberPayload(HostileMode mode, const std::string& path, const std::string& data,
                            HostileState& state) {
  std::string other;
  if (mode == HostileMode::kReplayOlder) {
    for (const auto& d : state.payloads[path]) {
      if (d != data) {
        other = d;
        break;
      }
    }
  } else if (mode == HostileMode::kSwapMailbox && !state.last_path.empty() &&
             state.last_path != path) {
    other = state.payloads[state.last_path].back();
  }
  auto& seen = state.payloads[path];
  if (std::find(seen.begin(), seen.end(), data) == seen.end()) {
    seen.push_back(data);
  }
  state.last_path = path;
  return other;
}

// flip-bit and truncate on the decoded octets; false when there are too few
// to leave the nonce and half the tag whole.
bool DamageCiphertext(HostileMode mode, std::string& data) {
  auto raw = Base64Decode(data);
  if (!raw || raw->size() <= kNonceOctets + kHalfTagOctets) {
    return false;
  }
  if (mode == HostileMode::kFlipBit) {
    (*raw)[kNonceOctets] ^= 0x01;
  } else {
    raw->resize(raw->size() - kHalfTagOctets);
  }
  data = Base64Encode(*raw);
  return true;
}

bool ReplaceRequestId(har::Headers& headers) {
  constexpr std::string_view kName = "Mailbox-Request-ID";
  const auto erased = std::erase_if(
      headers, [&](const auto& field) { return text::EqualsIgnoreCase(field.first, kName); });
  if (erased == 0) {
    return false;
  }
  headers.emplace_back(std::string(kName), NewUuidV4());
  return true;
}

}  // namespace

std::string_view HostileModeName(HostileMode mode) {
  for (const auto& [m, name] : kNames) {
    if (m == mode) {
      return name;
    }
  }
  return "off";  // unreachable for a valid enumerator
}

std::optional<HostileMode> ParseHostileMode(std::string_view name) {
  for (const auto& [m, n] : kNames) {
    if (n == name) {
      return m;
    }
  }
  return std::nullopt;
}

std::string HostileModeList() {
  std::string out;
  for (const auto& [m, name] : kNames) {
    out += (out.empty() ? "" : ", ") + std::string(name);
  }
  return out;
}

HostileOutcome ApplyHostile(HostileMode mode, std::string_view target, RelayAnswer answer,
                            HostileState& state) {
  HostileOutcome out{std::move(answer), ""};
  RelayAnswer& a = out.answer;
  if (a.status < 200 || a.status >= 300) {
    return out;
  }
  const std::string path(target.substr(0, target.find_first_of("?#")));
  nlohmann::json body = nlohmann::json::parse(a.body, nullptr, false);
  const bool has_payload = !body.is_discarded() && HasPayloadData(body);
  std::string other;
  if (has_payload) {
    other = RememberPayload(mode, path, body["payload"]["data"].get<std::string>(), state);
  }
  bool changed = false;
  if (mode == HostileMode::kRequestIdMismatch) {
    changed = ReplaceRequestId(a.headers);
  } else if (has_payload && (mode == HostileMode::kFlipBit || mode == HostileMode::kTruncate)) {
    std::string data = body["payload"]["data"].get<std::string>();
    if (DamageCiphertext(mode, data)) {
      body["payload"]["data"] = data;
      changed = true;
    }
  } else if (has_payload && !other.empty()) {
    body["payload"]["data"] = other;
    changed = true;
  }
  if (changed) {
    if (mode != HostileMode::kRequestIdMismatch) {
      a.body = body.dump();
    }
    out.note = "hostile: " + std::string(HostileModeName(mode));
  }
  return out;
}

}  // namespace tigress::harness
