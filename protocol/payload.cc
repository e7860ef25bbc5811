#include "protocol/payload.h"

#include <openssl/evp.h>

#include <memory>

#include "protocol/random.h"

namespace tigress {
namespace {

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const EVP_CIPHER* GcmForKey(std::size_t key_len) {
  switch (key_len) {
    case 16:
      return EVP_aes_128_gcm();
    case 24:
      return EVP_aes_192_gcm();
    case 32:
      return EVP_aes_256_gcm();
    default:
      return nullptr;
  }
}

int Len(std::size_t n) { return static_cast<int>(n); }

Result<void> CheckKeyForCipher(Cipher cipher, ByteView key) {
  if (key.size() != KeyLength(cipher)) {
    return MakeError(Errc::kKeyLengthMismatch,
                     "key is " + std::to_string(key.size()) + " octets but " +
                         std::string(CipherName(cipher)) + " needs " +
                         std::to_string(KeyLength(cipher)));
  }
  return {};
}

}  // namespace

std::string_view CipherName(Cipher c) {
  return c == Cipher::kAes128Gcm ? "AEAD_AES_128_GCM" : "AEAD_AES_256_GCM";
}

Result<Cipher> ParseCipher(std::string_view type) {
  if (type == "AEAD_AES_128_GCM") return Cipher::kAes128Gcm;
  if (type == "AEAD_AES_256_GCM") return Cipher::kAes256Gcm;
  return MakeError(Errc::kCipherUnknown, "payload.type '" + std::string(type.substr(0, 40)) +
                                             "' is not AEAD_AES_128_GCM or AEAD_AES_256_GCM");
}

std::size_t KeyLength(Cipher c) { return c == Cipher::kAes128Gcm ? 16 : 32; }

Result<Cipher> CipherForKeyLength(std::size_t n) {
  if (n == 16) return Cipher::kAes128Gcm;
  if (n == 32) return Cipher::kAes256Gcm;
  return MakeError(Errc::kKeyLengthMismatch,
                   "a " + std::to_string(n) + "-octet key matches no payload type (16 or 32)");
}

Result<Bytes> AesGcmSeal(ByteView key, ByteView iv, ByteView aad, ByteView plaintext) {
  const EVP_CIPHER* evp = GcmForKey(key.size());
  if (evp == nullptr) {
    return MakeError(Errc::kKeyLengthMismatch,
                     "AES key must be 16, 24 or 32 octets, got " + std::to_string(key.size()));
  }
  if (iv.empty()) return MakeError(Errc::kIvLengthInvalid, "empty IV");
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int n = 0;
  Bytes out(plaintext.size() + kTagLength);
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), evp, nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, Len(iv.size()), nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), iv.data()) != 1 ||
      (!aad.empty() &&
       EVP_EncryptUpdate(ctx.get(), nullptr, &n, aad.data(), Len(aad.size())) != 1) ||
      EVP_EncryptUpdate(ctx.get(), out.data(), &n, plaintext.data(), Len(plaintext.size())) !=
          1) {
    return MakeError(Errc::kCryptoFailure, "EVP_Encrypt* failed");
  }
  int tail = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), out.data() + n, &tail) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, Len(kTagLength),
                          out.data() + plaintext.size()) != 1) {
    return MakeError(Errc::kCryptoFailure, "EVP_EncryptFinal_ex or GET_TAG failed");
  }
  return out;
}

Result<Bytes> AesGcmOpen(ByteView key, ByteView iv, ByteView aad, ByteView ct_and_tag) {
  const EVP_CIPHER* evp = GcmForKey(key.size());
  if (evp == nullptr) {
    return MakeError(Errc::kKeyLengthMismatch,
                     "AES key must be 16, 24 or 32 octets, got " + std::to_string(key.size()));
  }
  if (iv.empty()) return MakeError(Errc::kIvLengthInvalid, "empty IV");
  if (ct_and_tag.size() < kTagLength) {
    return MakeError(Errc::kPayloadTooShort, "ciphertext shorter than the 16-octet tag");
  }
  const std::size_t ct_len = ct_and_tag.size() - kTagLength;
  Bytes tag(ct_and_tag.begin() + static_cast<std::ptrdiff_t>(ct_len), ct_and_tag.end());
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int n = 0;
  Bytes out(ct_len);
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), evp, nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, Len(iv.size()), nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), iv.data()) != 1 ||
      (!aad.empty() &&
       EVP_DecryptUpdate(ctx.get(), nullptr, &n, aad.data(), Len(aad.size())) != 1) ||
      EVP_DecryptUpdate(ctx.get(), out.data(), &n, ct_and_tag.data(), Len(ct_len)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, Len(kTagLength), tag.data()) != 1) {
    return MakeError(Errc::kCryptoFailure, "EVP_Decrypt* failed");
  }
  int tail = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), out.data() + n, &tail) != 1) {
    return MakeError(Errc::kAuthenticationFailed, "GCM tag does not verify");
  }
  return out;
}

Result<std::string> SealData(Cipher cipher, ByteView key, ByteView iv, ByteView plaintext) {
  TIGRESS_RETURN_IF_ERROR(CheckKeyForCipher(cipher, key));
  if (iv.size() != kIvLength) {
    return MakeError(Errc::kIvLengthInvalid,
                     "IV is " + std::to_string(iv.size()) + " octets, the protocol uses 12");
  }
  TIGRESS_ASSIGN_OR_RETURN(Bytes sealed, AesGcmSeal(key, iv, {}, plaintext));
  Bytes wire(iv.begin(), iv.end());
  wire.insert(wire.end(), sealed.begin(), sealed.end());
  return Base64Encode(wire);
}

Result<Payload> SealPayload(Cipher cipher, ByteView key, ByteView plaintext) {
  TIGRESS_ASSIGN_OR_RETURN(Bytes iv, RandomBytes(kIvLength));
  TIGRESS_ASSIGN_OR_RETURN(std::string data, SealData(cipher, key, iv, plaintext));
  return Payload{std::string(CipherName(cipher)), std::move(data)};
}

Result<Bytes> OpenData(Cipher cipher, ByteView key, std::string_view data) {
  TIGRESS_RETURN_IF_ERROR(CheckKeyForCipher(cipher, key));
  auto raw = Base64Decode(data);
  if (!raw) return MakeError(Errc::kBase64Invalid, "payload.data: " + raw.error().detail);
  if (raw->size() < kMinDataLength) {
    return MakeError(Errc::kPayloadTooShort, "payload.data decodes to " +
                                                 std::to_string(raw->size()) +
                                                 " octets, fewer than IV + tag (28)");
  }
  const ByteView all(*raw);
  return AesGcmOpen(key, all.first(kIvLength), {}, all.subspan(kIvLength));
}

Result<Bytes> OpenPayload(const Payload& p, ByteView key) {
  TIGRESS_ASSIGN_OR_RETURN(Cipher cipher, ParseCipher(p.type));
  return OpenData(cipher, key, p.data);
}

Result<void> ValidatePayloadShape(const Payload& p) {
  TIGRESS_RETURN_IF_ERROR(ParseCipher(p.type));
  auto raw = Base64Decode(p.data);
  if (!raw) return MakeError(Errc::kBase64Invalid, "payload.data: " + raw.error().detail);
  if (raw->size() < kMinDataLength) {
    return MakeError(Errc::kPayloadTooShort, "payload.data decodes to " +
                                                 std::to_string(raw->size()) +
                                                 " octets, fewer than IV + tag (28)");
  }
  return {};
}

}  // namespace tigress
