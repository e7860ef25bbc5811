#include "harness/kat/families.h"

namespace tigress::kat {
namespace {

// The fields every payload operation reads first, in this order, so the
// first problem reported is the same whatever the operation.
struct PayloadCommon {
  std::string cipher;
  Bytes key;
  bool valid = false;
};

Outcome RunRoundtrip(VectorFields& f, const PayloadCommon& c, KatBackend& backend) {
  const Bytes iv = f.Hex("ivHex");
  const Bytes pt = f.Hex("plaintextHex");
  const Bytes ct = f.Hex("ciphertextHex");
  const Bytes tag = f.Hex("tagHex");
  const std::string data = f.Str("dataBase64");
  if (!f.Ok()) return Fail("vector format: " + f.FirstProblem());
  if (!c.valid) return Fail("vector format: a roundtrip vector must be valid");
  Bytes wire = iv;
  wire.insert(wire.end(), ct.begin(), ct.end());
  wire.insert(wire.end(), tag.begin(), tag.end());
  if (Base64Encode(wire) != data) {
    return Fail("vector format: dataBase64 is not base64(ivHex || ciphertextHex || tagHex)");
  }
  auto sealed = backend.PayloadSeal({c.cipher, c.key, iv, pt});
  if (!sealed) return Unexpected(sealed.error());
  if (*sealed != data) return Fail("seal: " + Mismatch("data", *sealed, data));
  auto opened = backend.PayloadOpen({c.cipher, c.key, data});
  if (!opened) return Unexpected(opened.error());
  if (*opened != pt) return Fail("open: " + Mismatch("plaintext", ToString(*opened), ToString(pt)));
  return Pass("sealed and opened");
}

Outcome RunSeal(VectorFields& f, const PayloadCommon& c, const std::string& token,
                KatBackend& backend) {
  const Bytes iv = f.Hex("ivHex");
  const Bytes pt = f.Hex("plaintextHex");
  const std::string data = c.valid ? f.Str("dataBase64") : std::string();
  if (!f.Ok()) return Fail("vector format: " + f.FirstProblem());
  auto sealed = backend.PayloadSeal({c.cipher, c.key, iv, pt});
  if (!c.valid) return ExpectRejected(sealed, token, {}, backend);
  if (!sealed) return Unexpected(sealed.error());
  if (*sealed != data) return Fail("seal: " + Mismatch("data", *sealed, data));
  return Pass("sealed");
}

Outcome RunOpen(VectorFields& f, const PayloadCommon& c, const std::string& token,
                KatBackend& backend) {
  const std::string data = f.Str("dataBase64");
  const Bytes pt = c.valid ? f.Hex("plaintextHex") : Bytes();
  if (!f.Ok()) return Fail("vector format: " + f.FirstProblem());
  auto opened = backend.PayloadOpen({c.cipher, c.key, data});
  if (!c.valid) return ExpectRejected(opened, token, {}, backend);
  if (!opened) return Unexpected(opened.error());
  if (*opened != pt) return Fail("open: " + Mismatch("plaintext", ToString(*opened), ToString(pt)));
  return Pass("opened");
}

}  // namespace

Outcome RunPayloadVector(VectorFields& f, const std::string& result, const std::string& token,
                         KatBackend& backend) {
  if (auto u = f.UnknownField({"id", "comment", "flags", "requirements", "operation", "result",
                               "cipher", "keyHex", "ivHex", "plaintextHex", "ciphertextHex",
                               "tagHex", "dataBase64", "error"})) {
    return Fail("vector format: unknown field '" + *u + "'");
  }
  const std::string op = f.Str("operation");
  PayloadCommon c;
  c.cipher = f.Str("cipher");
  c.key = f.Hex("keyHex");
  c.valid = result == "valid";
  if (op == "roundtrip") return RunRoundtrip(f, c, backend);
  if (op == "seal") return RunSeal(f, c, token, backend);
  if (op == "open") return RunOpen(f, c, token, backend);
  if (!f.Ok()) return Fail("vector format: " + f.FirstProblem());
  return Fail("vector format: operation '" + op + "' is not roundtrip, seal or open");
}

}  // namespace tigress::kat
