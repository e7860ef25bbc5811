#include "pki/test_ca.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

namespace tigress::pki {
namespace {

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

X509Ptr ParseCert(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return X509Ptr(cert);
}

// Runs X509_verify_cert for `leaf` with `ca` as the only trust anchor, as a
// TLS server certificate for `host`. Returns the X509_V_* result.
int Verify(const std::string& leaf_pem, const std::string& ca_pem, const std::string& host) {
  X509Ptr leaf = ParseCert(leaf_pem);
  X509Ptr ca = ParseCert(ca_pem);
  if (!leaf || !ca) return -1;
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca.get());
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, leaf.get(), nullptr);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
  if (host.find_first_not_of("0123456789.") == std::string::npos ||
      host.find(':') != std::string::npos) {
    X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
  } else {
    X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
  }
  int result = X509_verify_cert(ctx) == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  return result;
}

TEST(TestPki, LeafVerifiesAgainstItsOwnCaForEveryDefaultHost) {
  TestPki pki = MakeTestPki().value();
  for (const char* host : {"localhost", "127.0.0.1", "::1"}) {
    EXPECT_EQ(Verify(pki.server_cert_pem, pki.ca_cert_pem, host), X509_V_OK) << host;
  }
}

TEST(TestPki, LeafDoesNotVerifyAgainstAnotherPkisCa) {
  TestPki pki = MakeTestPki().value();
  TestPki other = MakeTestPki().value();
  EXPECT_NE(Verify(pki.server_cert_pem, other.ca_cert_pem, "localhost"), X509_V_OK);
  EXPECT_NE(Verify(other.server_cert_pem, pki.ca_cert_pem, "127.0.0.1"), X509_V_OK);
}

TEST(TestPki, LeafDoesNotVerifyForAHostOutsideItsSans) {
  TestPki pki = MakeTestPki().value();
  EXPECT_EQ(Verify(pki.server_cert_pem, pki.ca_cert_pem, "example.com"),
            X509_V_ERR_HOSTNAME_MISMATCH);
  EXPECT_EQ(Verify(pki.server_cert_pem, pki.ca_cert_pem, "10.0.0.1"),
            X509_V_ERR_IP_ADDRESS_MISMATCH);
}

TEST(TestPki, CustomHostsBecomeTheSans) {
  PkiOptions options;
  options.hosts = {"relay.test", "192.0.2.7"};
  TestPki pki = MakeTestPki(options).value();
  EXPECT_EQ(Verify(pki.server_cert_pem, pki.ca_cert_pem, "relay.test"), X509_V_OK);
  EXPECT_EQ(Verify(pki.server_cert_pem, pki.ca_cert_pem, "192.0.2.7"), X509_V_OK);
  EXPECT_NE(Verify(pki.server_cert_pem, pki.ca_cert_pem, "localhost"), X509_V_OK);
}

TEST(TestPki, ExpiredLeafFailsWithCertHasExpired) {
  PkiOptions options;
  options.expired = true;
  TestPki pki = MakeTestPki(options).value();
  EXPECT_EQ(Verify(pki.server_cert_pem, pki.ca_cert_pem, "localhost"), X509_V_ERR_CERT_HAS_EXPIRED);
}

TEST(TestPki, CertificatesCarryTheExpectedExtensions) {
  TestPki pki = MakeTestPki().value();
  X509Ptr ca = ParseCert(pki.ca_cert_pem);
  X509Ptr leaf = ParseCert(pki.server_cert_pem);
  ASSERT_TRUE(ca && leaf);
  EXPECT_EQ(X509_check_ca(ca.get()), 1);
  EXPECT_EQ(X509_check_ca(leaf.get()), 0);
  EXPECT_TRUE(X509_get_extended_key_usage(leaf.get()) & XKU_SSL_SERVER);
  EVP_PKEY* key = X509_get0_pubkey(leaf.get());
  ASSERT_NE(key, nullptr);
  EXPECT_TRUE(EVP_PKEY_is_a(key, "EC"));
  EXPECT_EQ(EVP_PKEY_get_bits(key), 256);
  EXPECT_NE(pki.server_key_pem.find("BEGIN PRIVATE KEY"), std::string::npos);
  EXPECT_NE(pki.ca_key_pem.find("BEGIN PRIVATE KEY"), std::string::npos);
}

TEST(TestPki, KeyMatchesTheLeafCertificate) {
  TestPki pki = MakeTestPki().value();
  TestPki other = MakeTestPki().value();
  X509Ptr leaf = ParseCert(pki.server_cert_pem);
  BIO* bio =
      BIO_new_mem_buf(pki.server_key_pem.data(), static_cast<int>(pki.server_key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  bio = BIO_new_mem_buf(other.server_key_pem.data(), static_cast<int>(other.server_key_pem.size()));
  EVP_PKEY* other_key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  ASSERT_NE(key, nullptr);
  ASSERT_NE(other_key, nullptr);
  EXPECT_EQ(X509_check_private_key(leaf.get(), key), 1);
  EXPECT_NE(X509_check_private_key(leaf.get(), other_key), 1);
  EVP_PKEY_free(key);
  EVP_PKEY_free(other_key);
}

TEST(TestPki, EmptyHostListIsRefused) {
  PkiOptions options;
  options.hosts.clear();
  auto r = MakeTestPki(options);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kCryptoFailure));
}

}  // namespace
}  // namespace tigress::pki
