#include "protocol/encoding.h"

#include <openssl/evp.h>

#include <algorithm>

namespace tigress {
namespace {

bool IsStdB64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

// EVP_DecodeBlock is lenient (it skips surrounding whitespace and does not
// report padding), so callers validate the text first and trim here.
Bytes DecodeValidated(std::string_view text) {
  if (text.empty()) return {};
  Bytes out(text.size() / 4 * 3);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  std::size_t len = n < 0 ? 0 : static_cast<std::size_t>(n);
  if (text.ends_with("==")) {
    len -= 2;
  } else if (text.ends_with('=')) {
    len -= 1;
  }
  out.resize(len);
  return out;
}

}  // namespace

Bytes ToBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

std::string ToString(ByteView b) { return std::string(b.begin(), b.end()); }

std::string Base64Encode(ByteView b) {
  std::string out(4 * ((b.size() + 2) / 3), '\0');
  if (b.empty()) return out;
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), b.data(),
                                static_cast<int>(b.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string Base64UrlEncode(ByteView b, bool pad) {
  std::string out = Base64Encode(b);
  std::replace(out.begin(), out.end(), '+', '-');
  std::replace(out.begin(), out.end(), '/', '_');
  if (!pad) {
    while (!out.empty() && out.back() == '=') out.pop_back();
  }
  return out;
}

Result<Bytes> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return MakeError(Errc::kBase64Invalid, "length " + std::to_string(text.size()) +
                                               " is not a multiple of 4 (padding missing?)");
  }
  std::size_t pad = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '=') {
      ++pad;
      continue;
    }
    if (pad > 0) {
      return MakeError(Errc::kBase64Invalid, "'=' before the end at offset " + std::to_string(i));
    }
    if (!IsStdB64Char(c)) {
      return MakeError(Errc::kBase64Invalid, "character not in the standard alphabet at offset " +
                                                 std::to_string(i));
    }
  }
  if (pad > 2) return MakeError(Errc::kBase64Invalid, "more than two '=' padding characters");
  Bytes out = DecodeValidated(text);
  // Canonical form only: non-zero bits hidden in the last symbol's padding
  // would let two strings decode to the same octets.
  if (Base64Encode(out) != text) {
    return MakeError(Errc::kBase64Invalid, "non-canonical encoding (unused bits are not zero)");
  }
  return out;
}

Result<Bytes> Base64DecodeLenient(std::string_view text) {
  const bool has_std = text.find_first_of("+/") != std::string_view::npos;
  const bool has_url = text.find_first_of("-_") != std::string_view::npos;
  if (has_std && has_url) {
    return MakeError(Errc::kBase64Invalid, "mixes the standard and URL-safe alphabets");
  }
  std::string normal(text);
  std::replace(normal.begin(), normal.end(), '-', '+');
  std::replace(normal.begin(), normal.end(), '_', '/');
  const auto first_pad = normal.find('=');
  if (first_pad == std::string::npos) {
    if (normal.size() % 4 == 1) {
      return MakeError(Errc::kBase64Invalid, "length " + std::to_string(text.size()) +
                                                 " cannot be unpadded base64");
    }
    normal.append((4 - normal.size() % 4) % 4, '=');
  }
  return Base64Decode(normal);
}

std::string HexEncode(ByteView b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(b.size() * 2);
  for (const std::uint8_t v : b) {
    out.push_back(kDigits[v >> 4]);
    out.push_back(kDigits[v & 0x0f]);
  }
  return out;
}

Result<Bytes> HexDecode(std::string_view text) {
  if (text.size() % 2 != 0) return MakeError(Errc::kHexInvalid, "odd number of hex digits");
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Bytes out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int hi = nibble(text[i]);
    const int lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0) {
      return MakeError(Errc::kHexInvalid, "not a hex digit at offset " + std::to_string(i));
    }
    out.push_back(static_cast<std::uint8_t>((hi << 4) | lo));
  }
  return out;
}

std::string Redact(std::string_view sensitive) {
  std::string out(sensitive.substr(0, std::min<std::size_t>(4, sensitive.size() / 4)));
  out += "…(" + std::to_string(sensitive.size()) + " chars)";
  return out;
}

}  // namespace tigress
