// File: pki/test_ca.h
//
// A throw-away PKI for loopback tests and harness runs, made in memory with
// OpenSSL's X509 API (no shelling out to the openssl tool): a self-signed CA
// and server certificates it issues for localhost, 127.0.0.1 and ::1.
//
//   TestPki pki = MakeTestPki().value();
//   WriteFile(dir / "ca.pem", pki.ca_cert_pem);
//   WriteFile(dir / "cert.pem", pki.server_cert_pem);
//   WriteFile(dir / "key.pem", pki.server_key_pem);
//   // An untrusted twin (a different CA) for hostile-relay tests:
//   TestPki other = MakeTestPki().value();
#pragma once

#include <string>
#include <vector>

#include "protocol/result.h"

namespace tigress::pki {

struct TestPki {
  std::string ca_cert_pem;      // the trust anchor to give devices
  std::string ca_key_pem;       // kept so more leaf certificates can be issued
  std::string server_cert_pem;  // leaf for `hosts`, signed by the CA
  std::string server_key_pem;   // its private key (PKCS#8 PEM)
};

struct PkiOptions {
  // Subject alternative names of the server certificate: DNS names or IP
  // literals (v4 or v6).
  std::vector<std::string> hosts = {"localhost", "127.0.0.1", "::1"};
  int valid_days = 2;    // leaf and CA validity from now (minus one hour of skew)
  bool expired = false;  // make the leaf already expired (for negative TLS tests)
};

// `MakeTestPki` creates a fresh CA (EC P-256) and a leaf for `options.hosts`.
// Errors: kCryptoFailure naming the OpenSSL call that failed.
Result<TestPki> MakeTestPki(const PkiOptions& options = {});

}  // namespace tigress::pki
