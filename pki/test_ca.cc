#include "pki/test_ca.h"

#include <memory>
#include <string>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace tigress::pki {
namespace {

struct EvpPkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct ExtFree {
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, ExtFree>;

Error Fail(const char* call) {
  return MakeError(Errc::kCryptoFailure, std::string("pki: ") + call + " failed");
}

Result<PkeyPtr> NewP256Key() {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return Fail("EVP_EC_gen(P-256)");
  return key;
}

Result<std::string> BioToString(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  if (len < 0 || data == nullptr) return Fail("BIO_get_mem_data");
  return std::string(data, static_cast<std::size_t>(len));
}

Result<std::string> CertPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return Fail("PEM_write_bio_X509");
  return BioToString(bio.get());
}

Result<std::string> KeyPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  // PEM_write_bio_PrivateKey writes PKCS#8 ("BEGIN PRIVATE KEY").
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Fail("PEM_write_bio_PrivateKey");
  }
  return BioToString(bio.get());
}

Result<void> AddExt(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext) return Fail("X509V3_EXT_conf_nid");
  if (X509_add_ext(cert, ext.get(), -1) != 1) return Fail("X509_add_ext");
  return {};
}

// Random positive 128-bit serial so that two PKIs never share serials.
Result<void> SetRandomSerial(X509* cert) {
  unsigned char raw[16];
  if (RAND_bytes(raw, sizeof raw) != 1) return Fail("RAND_bytes");
  raw[0] &= 0x7f;
  raw[0] |= 0x01;
  BIGNUM* bn = BN_bin2bn(raw, sizeof raw, nullptr);
  if (bn == nullptr) return Fail("BN_bin2bn");
  ASN1_INTEGER* serial = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
  BN_free(bn);
  if (serial == nullptr) return Fail("BN_to_ASN1_INTEGER");
  return {};
}

Result<void> SetName(X509_NAME* name, const std::string& cn) {
  if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("tigress-harness test PKI"),
                                 -1, -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                 0) != 1) {
    return Fail("X509_NAME_add_entry_by_txt");
  }
  return {};
}

// Validity starts an hour in the past to tolerate clock skew between
// processes; an expired leaf ends before now.
Result<void> SetValidity(X509* cert, int valid_days, bool expired) {
  constexpr long kHour = 3600;
  long not_before = -kHour;
  long not_after = static_cast<long>(valid_days) * 24 * kHour;
  if (expired) {
    not_before = -2 * 24 * kHour;
    not_after = -kHour;
  }
  if (X509_gmtime_adj(X509_getm_notBefore(cert), not_before) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert), not_after) == nullptr) {
    return Fail("X509_gmtime_adj");
  }
  return {};
}

bool LooksLikeIp(const std::string& host) {
  if (host.find(':') != std::string::npos) return true;  // IPv6 literal
  if (host.empty()) return false;
  for (char c : host) {
    if (!(c == '.' || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

std::string SanValue(const std::vector<std::string>& hosts) {
  std::string san;
  for (const std::string& h : hosts) {
    if (!san.empty()) san += ",";
    san += (LooksLikeIp(h) ? "IP:" : "DNS:") + h;
  }
  return san;
}

}  // namespace

Result<TestPki> MakeTestPki(const PkiOptions& options) {
  if (options.hosts.empty()) {
    return MakeError(Errc::kCryptoFailure, "pki: options.hosts is empty (need at least one SAN)");
  }
  if (options.valid_days <= 0) {
    return MakeError(Errc::kCryptoFailure, "pki: options.valid_days must be positive");
  }
  TIGRESS_ASSIGN_OR_RETURN(PkeyPtr ca_key, NewP256Key());
  TIGRESS_ASSIGN_OR_RETURN(PkeyPtr leaf_key, NewP256Key());

  X509Ptr ca(X509_new());
  if (!ca) return Fail("X509_new");
  if (X509_set_version(ca.get(), 2) != 1) return Fail("X509_set_version");
  TIGRESS_RETURN_IF_ERROR(SetRandomSerial(ca.get()));
  TIGRESS_RETURN_IF_ERROR(SetName(X509_get_subject_name(ca.get()), "tigress test CA"));
  if (X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get())) != 1) {
    return Fail("X509_set_issuer_name");
  }
  TIGRESS_RETURN_IF_ERROR(SetValidity(ca.get(), options.valid_days, false));
  if (X509_set_pubkey(ca.get(), ca_key.get()) != 1) return Fail("X509_set_pubkey");
  TIGRESS_RETURN_IF_ERROR(
      AddExt(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
  TIGRESS_RETURN_IF_ERROR(
      AddExt(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign"));
  TIGRESS_RETURN_IF_ERROR(AddExt(ca.get(), ca.get(), NID_subject_key_identifier, "hash"));
  if (X509_sign(ca.get(), ca_key.get(), EVP_sha256()) <= 0) return Fail("X509_sign(CA)");

  X509Ptr leaf(X509_new());
  if (!leaf) return Fail("X509_new");
  if (X509_set_version(leaf.get(), 2) != 1) return Fail("X509_set_version");
  TIGRESS_RETURN_IF_ERROR(SetRandomSerial(leaf.get()));
  TIGRESS_RETURN_IF_ERROR(SetName(X509_get_subject_name(leaf.get()), options.hosts.front()));
  if (X509_set_issuer_name(leaf.get(), X509_get_subject_name(ca.get())) != 1) {
    return Fail("X509_set_issuer_name");
  }
  TIGRESS_RETURN_IF_ERROR(SetValidity(leaf.get(), options.valid_days, options.expired));
  if (X509_set_pubkey(leaf.get(), leaf_key.get()) != 1) return Fail("X509_set_pubkey");
  TIGRESS_RETURN_IF_ERROR(AddExt(leaf.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE"));
  TIGRESS_RETURN_IF_ERROR(AddExt(leaf.get(), ca.get(), NID_key_usage, "critical,digitalSignature"));
  TIGRESS_RETURN_IF_ERROR(AddExt(leaf.get(), ca.get(), NID_ext_key_usage, "serverAuth"));
  TIGRESS_RETURN_IF_ERROR(AddExt(leaf.get(), ca.get(), NID_subject_key_identifier, "hash"));
  TIGRESS_RETURN_IF_ERROR(
      AddExt(leaf.get(), ca.get(), NID_authority_key_identifier, "keyid:always"));
  TIGRESS_RETURN_IF_ERROR(
      AddExt(leaf.get(), ca.get(), NID_subject_alt_name, SanValue(options.hosts)));
  if (X509_sign(leaf.get(), ca_key.get(), EVP_sha256()) <= 0) return Fail("X509_sign(leaf)");

  TestPki pki;
  TIGRESS_ASSIGN_OR_RETURN(pki.ca_cert_pem, CertPem(ca.get()));
  TIGRESS_ASSIGN_OR_RETURN(pki.ca_key_pem, KeyPem(ca_key.get()));
  TIGRESS_ASSIGN_OR_RETURN(pki.server_cert_pem, CertPem(leaf.get()));
  TIGRESS_ASSIGN_OR_RETURN(pki.server_key_pem, KeyPem(leaf_key.get()));
  return pki;
}

}  // namespace tigress::pki
