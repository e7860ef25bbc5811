#include <optional>

#include "harness/kat/families.h"

namespace tigress::kat {
namespace {

Outcome CompareField(std::string_view what, const std::string& got, const std::string& want) {
  if (got == want) return Pass();
  std::string detail(what);
  detail += " is '" + got + "', expected '" + want + "'";
  return Fail(std::move(detail));
}

Outcome CompareOptional(std::string_view what, const std::optional<std::string>& got,
                        const std::optional<std::string>& want) {
  if (got.has_value() != want.has_value()) {
    return Fail(std::string(what) + (got ? " present ('" + *got + "') but the vector has none"
                                         : " absent but the vector expects '" + *want + "'"));
  }
  if (got) return CompareField(what, *got, *want);
  return Pass();
}

// Compares what a parser returned with the vector's fields, Secret last.
Outcome CompareParsed(const ShareUrlFields& got, const ShareUrlFields& want,
                      const std::optional<Bytes>& want_secret) {
  for (Outcome o : {CompareField("relayHost", got.relay_host, want.relay_host),
                    CompareField("apiVersion", got.api_version, want.api_version),
                    CompareField("mailboxId", got.mailbox_id, want.mailbox_id),
                    CompareOptional("vertical", got.vertical, want.vertical)}) {
    if (o.verdict != Verdict::kPass) return o;
  }
  if (got.secret.has_value() != want_secret.has_value()) {
    return Fail(got.secret ? "secret present but the vector has none"
                           : "secret absent but the vector has one");
  }
  if (got.secret && *got.secret != *want_secret) {
    return Fail(Mismatch("secret", ToString(*got.secret), ToString(*want_secret)));
  }
  return Pass("parsed");
}

Outcome RunParse(VectorFields& f, bool valid, const std::string& token, KatBackend& backend) {
  const std::string url = f.Str("url");
  ShareUrlFields want;
  std::optional<Bytes> want_secret;
  if (valid) {
    want.relay_host = f.Str("relayHost");
    want.api_version = f.Str("apiVersion");
    want.mailbox_id = f.Str("mailboxId");
    want.vertical = f.OptStr("vertical");
    want_secret = f.OptBase64("secretBase64");
  }
  if (!f.Ok()) return Fail("vector format: " + f.FirstProblem());
  auto got = backend.ShareUrlParse(url);
  if (!valid) return ExpectRejected(got, token, {}, backend);
  if (!got) return Unexpected(got.error());
  return CompareParsed(*got, want, want_secret);
}

Outcome RunBuild(VectorFields& f, bool valid, const std::string& token, KatBackend& backend) {
  ShareUrlBuildRequest req;
  req.relay_base_url = f.Str("relayBaseUrl");
  req.mailbox_id = f.Str("mailboxId");
  req.vertical = f.OptStr("vertical");
  req.secret = f.OptBase64("secretBase64");
  const std::string want = valid ? f.Str("url") : std::string();
  if (!f.Ok()) return Fail("vector format: " + f.FirstProblem());
  auto got = backend.ShareUrlBuild(req);
  if (!valid) return ExpectRejected(got, token, {}, backend);
  if (!got) return Unexpected(got.error());
  if (*got != want) {
    return Fail("built '" + RedactUrl(*got) + "'; " + Mismatch("url", *got, want));
  }
  return Pass("built");
}

Outcome RunStrip(VectorFields& f, bool valid, const std::string& token, KatBackend& backend) {
  const std::string url = f.Str("url");
  const std::string want = valid ? f.Str("strippedUrl") : std::string();
  if (!f.Ok()) return Fail("vector format: " + f.FirstProblem());
  auto got = backend.ShareUrlStripFragment(url);
  if (!valid) return ExpectRejected(got, token, {}, backend);
  if (!got) return Unexpected(got.error());
  if (*got != want) return Fail("stripped to '" + RedactUrl(*got) + "', expected '" + want + "'");
  return Pass("stripped");
}

}  // namespace

Outcome RunShareUrlVector(VectorFields& f, const std::string& result, const std::string& token,
                          KatBackend& backend) {
  if (auto u = f.UnknownField({"id", "comment", "flags", "requirements", "operation", "result",
                               "url", "relayHost", "apiVersion", "mailboxId", "vertical",
                               "secretBase64", "relayBaseUrl", "strippedUrl", "error"})) {
    return Fail("vector format: unknown field '" + *u + "'");
  }
  const std::string op = f.Str("operation");
  const bool valid = result == "valid";
  if (op == "parse") return RunParse(f, valid, token, backend);
  if (op == "build") return RunBuild(f, valid, token, backend);
  if (op == "strip") return RunStrip(f, valid, token, backend);
  if (!f.Ok()) return Fail("vector format: " + f.FirstProblem());
  return Fail("vector format: operation '" + op + "' is not parse, build or strip");
}

}  // namespace tigress::kat
