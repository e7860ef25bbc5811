// File: protocol/payload.h
//
// The encrypted payload (spec-catalog A.8, interpretation C-29):
//   payload = {"type": "AEAD_AES_128_GCM" | "AEAD_AES_256_GCM", "data": D}
//   D = standard base64 of IV(12) || ciphertext || tag(16), empty AAD.
// The Secret is the AES key; no KDF.
//
//   Payload p = SealPayload(Cipher::kAes128Gcm, secret, plaintext).value();
//   Bytes pt = OpenPayload(p, secret).value();   // kAuthenticationFailed if tampered
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "protocol/encoding.h"

namespace tigress {

enum class Cipher { kAes128Gcm, kAes256Gcm };

inline constexpr std::size_t kIvLength = 12;
inline constexpr std::size_t kTagLength = 16;
inline constexpr std::size_t kMinDataLength = kIvLength + kTagLength;  // 28

// `CipherName` is the wire `type` string ("AEAD_AES_128_GCM").
std::string_view CipherName(Cipher c);
// `ParseCipher` maps a wire `type` to a Cipher. Errors: kCipherUnknown (this
// includes the legacy "AES128"/"AES256" names, PAYLOAD-18).
Result<Cipher> ParseCipher(std::string_view type);
// `KeyLength` is 16 or 32.
std::size_t KeyLength(Cipher c);
// `CipherForKeyLength` picks the cipher whose key is `n` octets. Errors:
// kKeyLengthMismatch when `n` is neither 16 nor 32.
Result<Cipher> CipherForKeyLength(std::size_t n);

// `Payload` is the wire object, kept as the exact strings.
struct Payload {
  std::string type;
  std::string data;
  friend bool operator==(const Payload&, const Payload&) = default;
};

// `AesGcmSeal` is raw AES-GCM (key 16, 24 or 32 octets; IV any length >= 1;
// 16-octet tag): returns ciphertext || tag. For known-answer vectors.
// Errors: kKeyLengthMismatch, kIvLengthInvalid, kCryptoFailure.
Result<Bytes> AesGcmSeal(ByteView key, ByteView iv, ByteView aad, ByteView plaintext);
// `AesGcmOpen` verifies and decrypts ciphertext || tag (`tag_length` 16 here).
// Errors: kAuthenticationFailed, kKeyLengthMismatch, kIvLengthInvalid, kPayloadTooShort.
Result<Bytes> AesGcmOpen(ByteView key, ByteView iv, ByteView aad, ByteView ct_and_tag);

// `SealData` encrypts `plaintext` under `key` with the given 12-octet `iv` and
// returns the `data` string. Errors: kKeyLengthMismatch (key does not match
// `cipher`), kIvLengthInvalid, kCryptoFailure.
Result<std::string> SealData(Cipher cipher, ByteView key, ByteView iv, ByteView plaintext);

// `SealPayload` is `SealData` with a fresh random IV, wrapped in a Payload.
Result<Payload> SealPayload(Cipher cipher, ByteView key, ByteView plaintext);

// `OpenData` decrypts a `data` string. Errors: kBase64Invalid (not canonical
// standard base64), kPayloadTooShort (< 28 octets decoded),
// kKeyLengthMismatch, kAuthenticationFailed.
Result<Bytes> OpenData(Cipher cipher, ByteView key, std::string_view data);

// `OpenPayload` parses `p.type` then calls `OpenData`. Errors: kCipherUnknown
// and those of `OpenData`.
Result<Bytes> OpenPayload(const Payload& p, ByteView key);

// `ValidatePayloadShape` checks what a relay can check without the key: a
// known type, and data that is canonical standard base64 of at least 28
// octets. Errors: kCipherUnknown, kBase64Invalid, kPayloadTooShort.
Result<void> ValidatePayloadShape(const Payload& p);

}  // namespace tigress
