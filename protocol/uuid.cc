#include "protocol/uuid.h"

#include <cstdio>
#include <cstdlib>

#include "protocol/encoding.h"
#include "protocol/random.h"

namespace tigress {
namespace {

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

bool HasCanonicalShape(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? s[i] != '-' : !IsHex(s[i])) return false;
  }
  return true;
}

// The variant lives in the top bits of the 17th hex digit (offset 19).
bool HasRfc4122Variant(std::string_view s) { return (HexValue(s[19]) & 0xc) == 0x8; }

}  // namespace

bool IsUuid(std::string_view s) { return HasCanonicalShape(s) && HasRfc4122Variant(s); }

bool IsUuidV4(std::string_view s) { return IsUuid(s) && s[14] == '4'; }

int UuidVersion(std::string_view s) { return HasCanonicalShape(s) ? HexValue(s[14]) : -1; }

Result<void> ValidateUuid(std::string_view s, UuidRule rule, std::string_view what) {
  if (!HasCanonicalShape(s)) {
    return MakeError(Errc::kUuidInvalid,
                     std::string(what) + ": not in the 8-4-4-4-12 hex form (" +
                         std::to_string(s.size()) + " characters)");
  }
  if (!HasRfc4122Variant(s)) {
    return MakeError(Errc::kUuidInvalid,
                     std::string(what) + ": variant digit '" + s[19] + "' is not 8, 9, a or b");
  }
  if (rule == UuidRule::kV4 && s[14] != '4') {
    return MakeError(Errc::kUuidNotV4,
                     std::string(what) + ": version " + s[14] + ", expected 4");
  }
  return {};
}

std::string NewUuidV4() {
  auto raw = RandomBytes(16);
  if (!raw) {
    std::fputs("fatal: CSPRNG failure while generating a UUID\n", stderr);
    std::abort();
  }
  Bytes& b = *raw;
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
  const std::string hex = HexEncode(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace tigress
