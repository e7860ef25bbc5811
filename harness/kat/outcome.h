// File: harness/kat/outcome.h
//
// What one vector's evaluation yields, and the rules every family shares for
// turning a backend's answer into a verdict. Internal to harness/kat.
//
//   auto opened = backend.PayloadOpen({cipher, key, data});
//   if (!valid) return ExpectRejected(opened, token, {}, backend);
//   if (!opened) return Unexpected(opened.error());
//   if (*opened != pt) return Fail("open: " + Mismatch("plaintext", got, want));
//   return Pass("opened");
//
// Messages never hold a Secret or plaintext in full: `Mismatch` says where two
// values differ, `RedactUrl` hides a Share URL's fragment.
#pragma once

#include <string>
#include <string_view>

#include "harness/kat/kat_backend.h"
#include "harness/kat/runner.h"

namespace tigress::kat {

// `Outcome` is a verdict with its detail, before it becomes a `VectorResult`.
struct Outcome {
  Verdict verdict = Verdict::kFail;
  std::string detail;
};

Outcome Pass(std::string detail = {});
Outcome Fail(std::string detail);

// `Mismatch` says where `got` first differs from `want` and their lengths:
// in octets for "plaintext" and "secret", in characters otherwise.
std::string Mismatch(std::string_view what, std::string_view got, std::string_view want);

// `RedactUrl` is a Share URL with its fragment (the Secret) redacted.
std::string RedactUrl(std::string_view url);

// `Describe` is "<token>: <detail>", or the detail alone without a token.
std::string Describe(const BackendError& e);

// `Unexpected` turns a backend error on a vector that should have succeeded
// into a verdict: UNSUPPORTED, or FAIL for a broken backend or a rejection.
Outcome Unexpected(const BackendError& e);

// `NamesField` is true when `detail` names `field` as an error path:
// "<field>:" at the start or after a space ("plaintext: content: expected an object").
bool NamesField(std::string_view detail, std::string_view field);

// `ExpectRejected` judges an invalid vector: it passes on a rejection and,
// when the backend reports tokens, requires `token` and a detail naming
// `field` (each only when non-empty).
template <class T>
Outcome ExpectRejected(const BackendResult<T>& r, const std::string& token,
                       const std::string& field, const KatBackend& backend) {
  if (r) return Fail("accepted an invalid input; expected rejection " + token);
  const BackendError& e = r.error();
  if (e.kind != BackendError::Kind::kRejected) return Unexpected(e);
  if (backend.ReportsErrorTokens()) {
    if (!token.empty() && e.token != token)
      return Fail("rejected with " + Describe(e) + "; expected " + token);
    if (!field.empty() && !NamesField(e.detail, field)) {
      return Fail("error '" + Describe(e) + "' does not name the field " + field);
    }
  }
  return Pass("rejected: " + Describe(e));
}

}  // namespace tigress::kat
