// File: protocol/encoding.h
//
// Byte strings and their text encodings: base64 (RFC 4648 section 4 and the
// URL-safe alphabet of section 5) and hex. Built on OpenSSL's EVP encoder.
//
//   Bytes key = Base64Decode("hXlr6aRC7KgJpOLTNZaLsw==").value();  // 16 octets
//   Base64Encode(key) == "hXlr6aRC7KgJpOLTNZaLsw=="
//   Base64DecodeLenient("hXlr6aRC7KgJpOLTNZaLsw")  // unpadded: also accepted
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/result.h"

namespace tigress {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// `ToBytes` copies the characters of `s` as octets.
Bytes ToBytes(std::string_view s);
// `ToString` copies octets into a std::string (no validation).
std::string ToString(ByteView b);

// `Base64Encode` is standard base64 with `=` padding.
std::string Base64Encode(ByteView b);
// `Base64UrlEncode` is the URL-safe alphabet (`-`, `_`), padded when `pad`.
std::string Base64UrlEncode(ByteView b, bool pad);

// `Base64Decode` accepts only canonical standard base64 with padding: length a
// multiple of 4, alphabet A-Z a-z 0-9 + /, `=` only at the end, no whitespace.
// Errors: kBase64Invalid with the offending position in the detail.
Result<Bytes> Base64Decode(std::string_view text);

// `Base64DecodeLenient` accepts standard or URL-safe alphabets (not mixed),
// padded or unpadded. Errors: kBase64Invalid.
Result<Bytes> Base64DecodeLenient(std::string_view text);

// `HexEncode` is lower-case hex.
std::string HexEncode(ByteView b);
// `HexDecode` accepts upper- or lower-case hex of even length. Errors: kHexInvalid.
Result<Bytes> HexDecode(std::string_view text);

// `Redact` shows a sensitive value as its length and first 4 characters only,
// for logs: "hXlr…(24 chars)". Never log a Secret, plaintext or claim in full.
std::string Redact(std::string_view sensitive);

}  // namespace tigress
