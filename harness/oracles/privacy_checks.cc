// File: harness/oracles/privacy_checks.cc
#include <set>

#include "harness/oracles/oracle_checks.h"
#include "protocol/text.h"

namespace tigress::harness {
namespace {

const std::string kSecretMarker = "[secret:";
const std::string kCanaryMarker = "[canary:";

// Every place of a request the relay sees; JSON bodies by leaf so a finding
// names the field (a key itself is checked through the raw body as well).
std::vector<Place> RequestPlaces(const ExchangeFacts& f) {
  const har::Exchange& e = *f.exchange;
  std::vector<Place> out;
  out.push_back({"request line", e.method + " " + f.target + " " + e.http_version});
  for (const auto& [k, v] : e.request_headers) {
    out.push_back({"header " + k, k + ": " + v});
  }
  if (!e.request_body.empty()) {
    if (!f.body.is_discarded()) {
      JsonLeaves(f.body, "", out);
    }
    out.push_back({"body", e.request_body});
  }
  return out;
}

// A '#' or a share URL's fragment text in the request target; true when
// the target holds one (its Secret is then this leak, not a PRIV-01 one).
bool ScanFragment(const OracleContext& ctx, const ExchangeFacts& f, ExchangeLeaks& leaks) {
  bool in_target = false;
  if (f.target.find('#') != std::string::npos) {
    in_target = true;
    leaks.kinds |= kLeakFragment;
    leaks.findings.push_back({"fragment-never-sent", "RECIP-01", false,
                              f.name + ": the request line holds a '#' fragment: " +
                                  Excerpt(MaskAll(f.target, ctx.secret_needles), "#"),
                              "no fragment in the request target", "a '#' in the request target"});
  }
  const std::string decoded_target = text::PercentDecode(f.target);
  for (const auto& fragment : ctx.fragments) {
    if (!in_target && decoded_target.find(fragment) != std::string::npos) {
      in_target = true;
      leaks.kinds |= kLeakFragment;
      leaks.findings.push_back({"fragment-never-sent", "RECIP-01", false,
                                f.name + ": the share URL's fragment is in the request line: " +
                                    Excerpt(MaskAll(f.target, ctx.secret_needles), kSecretMarker),
                                "the fragment stripped before any relay request",
                                "the fragment text in the request target"});
    }
  }
  return in_target;
}

// The Secret and canaries in each place of the request.
void ScanPlaces(const OracleContext& ctx, const ExchangeFacts& f, bool fragment_in_target,
                ExchangeLeaks& leaks) {
  std::set<std::string> secret_places;
  for (const Place& p : RequestPlaces(f)) {
    const std::string masked = MaskAll(p.text, ctx.secret_needles);
    if (const auto at = masked.find(kSecretMarker); at != std::string::npos) {
      const bool attributed = fragment_in_target && p.name == "request line";
      leaks.kinds |= attributed ? 0U : kLeakSecret;
      if (!attributed && p.name != "body" && secret_places.insert(p.name).second) {
        leaks.findings.push_back({"secret-never-sent", "PRIV-01", false,
                                  f.name + ", " + p.name + ": the Secret is sent to the relay: " +
                                      Excerpt(masked, kSecretMarker),
                                  "no encoding of the Secret in any request",
                                  masked.substr(at, masked.find(']', at) - at + 1)});
      } else if (p.name == "body" && secret_places.empty() && !attributed) {
        // A body that is not JSON (or a JSON key) holds it.
        secret_places.insert(p.name);
        leaks.findings.push_back(
            {"secret-never-sent", "PRIV-01", false,
             f.name + ", body: the Secret is sent to the relay: " + Excerpt(masked, kSecretMarker),
             "no encoding of the Secret in any request", "the Secret in the body"});
      }
    }
    if (p.name == "body") {
      continue;  // canaries in JSON bodies are reported by field
    }
    const std::string cmasked = MaskAll(p.text, ctx.canary_needles);
    if (cmasked.find(kCanaryMarker) != std::string::npos) {
      leaks.kinds |= kLeakPlaintext;
      leaks.findings.push_back({"plaintext-never-sent", "PRIV-02", false,
                                f.name + ", " + p.name +
                                    ": plaintext Provisioning Information is sent to the relay: " +
                                    Excerpt(MaskAll(cmasked, ctx.secret_needles), kCanaryMarker),
                                "no plaintext of the Provisioning Information in any request",
                                "a planted canary in clear"});
    }
  }
}

// A payload `data` that is base64 of JSON text rather than a ciphertext.
void ScanPayloadPlaintext(const ExchangeFacts& f, ExchangeLeaks& leaks) {
  const std::string data = PayloadData(f.body);
  if (data.empty()) {
    return;
  }
  auto raw = Base64DecodeLenient(data);
  const char* kind = raw ? JsonTextKind(*raw) : nullptr;
  if (kind == nullptr) {
    return;
  }
  leaks.kinds |= kLeakPlaintext;
  leaks.findings.push_back(
      {"plaintext-never-sent", "PRIV-02", false,
       f.name + ", body payload.data: the payload is base64 of JSON text, not a ciphertext (" +
           std::to_string(raw->size()) + " octets starting '" +
           std::string(1, static_cast<char>((*raw)[0])) + "')",
       "payload.data is IV || ciphertext || tag", "decodes to a JSON " + std::string(kind)});
}

// The leaks of one role's requests, reported under that role's requirement.
struct RoleLeak {
  const char* check;
  const char* req;
  Sender who;
  unsigned leaks;
  bool examinable;
  const char* expected;
};

void CheckRoleLeaks(const OracleContext& ctx, const RoleLeak& r, Findings& out) {
  std::size_t examined = 0;
  for (const ExchangeFacts& f : ctx.ex) {
    if (f.sender != r.who) {
      continue;
    }
    ++examined;
    if (const unsigned what = f.leaks & r.leaks; what != 0) {
      out.Fail(r.check, r.req,
               f.name + ", sent by " + SenderName(r.who) + ": " +
                   ((what & kLeakSecret) != 0     ? "the Secret"
                    : (what & kLeakFragment) != 0 ? "the share URL's fragment"
                                                  : "plaintext Provisioning Information") +
                   " reaches the relay (the leak checks' findings show where)",
               r.expected, "a leak in a request by " + std::string(SenderName(r.who)));
    }
  }
  out.PassIfClean(r.check, r.req, examined > 0 && r.examinable,
                  std::to_string(examined) + " request(s) by " + SenderName(r.who) +
                      " hold nothing the leak checks look for",
                  r.expected);
}

void CheckStderrLeaks(const OracleContext& ctx, Findings& out) {
  const std::string& err = ctx.in->relay_stderr;
  if (err.empty()) {
    return;
  }
  if (!ctx.secret_needles.empty()) {
    const std::string masked = MaskAll(err, ctx.secret_needles);
    if (masked.find(kSecretMarker) != std::string::npos) {
      out.Fail(
          "secret-never-sent", "PRIV-01",
          "relay stderr: the Secret appears in the relay's log: " + Excerpt(masked, kSecretMarker),
          "no encoding of the Secret in the relay's stderr", "the Secret in stderr");
    }
  }
  if (!ctx.canary_needles.empty()) {
    const std::string masked = MaskAll(err, ctx.canary_needles);
    if (masked.find(kCanaryMarker) != std::string::npos) {
      out.Fail("plaintext-never-sent", "PRIV-02",
               "relay stderr: plaintext Provisioning Information appears in the relay's log: " +
                   Excerpt(MaskAll(masked, ctx.secret_needles), kCanaryMarker),
               "no plaintext in the relay's stderr", "a planted canary in stderr");
    }
  }
}

}  // namespace

ExchangeLeaks ScanLeaks(const OracleContext& ctx, std::size_t i) {
  const ExchangeFacts& f = ctx.ex[i];
  ExchangeLeaks leaks;
  const bool fragment_in_target = ScanFragment(ctx, f, leaks);
  ScanPlaces(ctx, f, fragment_in_target, leaks);
  ScanPayloadPlaintext(f, leaks);
  return leaks;
}

void CheckLeaks(const OracleContext& ctx, Findings& out) {
  // The three checks' findings stay in request order, as a reader meets them.
  for (const ExchangeFacts& f : ctx.ex) {
    for (const Finding& leak : f.leak_findings) {
      out.Fail(leak);
    }
  }
  CheckStderrLeaks(ctx, out);
  const bool any_request = !ctx.ex.empty();
  const std::string requests = std::to_string(ctx.ex.size()) + " request(s)";
  out.PassIfClean("secret-never-sent", "PRIV-01", any_request && !ctx.secret_needles.empty(),
                  "no encoding of the case's " + std::to_string(ctx.in->secrets.size()) +
                      " Secret(s) in " + requests + " to the relay or its stderr",
                  "no encoding of the Secret in any request");
  out.PassIfClean("fragment-never-sent", "RECIP-01", any_request && !ctx.fragments.empty(),
                  "no request target among " + std::to_string(ctx.ex.size()) +
                      " holds a fragment or the share URL's fragment text",
                  "the fragment stripped before any relay request");
  out.PassIfClean("plaintext-never-sent", "PRIV-02", any_request && !ctx.canary_needles.empty(),
                  "none of " + std::to_string(ctx.canary_needles.size()) +
                      " planted canaries in any request or the relay's stderr; no payload is "
                      "JSON text",
                  "no plaintext of the Provisioning Information in any request");
}

void CheckInitiatorSendsNoSecret(const OracleContext& ctx, Findings& out) {
  CheckRoleLeaks(
      ctx,
      {"initiator-sends-no-secret", "INIT-13", Sender::kInitiator, kLeakSecret,
       !ctx.secret_needles.empty(), "no encoding of the Secret in any initiator request"},
      out);
}

void CheckRecipientStripsFragment(const OracleContext& ctx, Findings& out) {
  CheckRoleLeaks(
      ctx,
      {"recipient-strips-fragment", "URL-08", Sender::kRecipient, kLeakSecret | kLeakFragment,
       !ctx.secret_needles.empty() || !ctx.fragments.empty(),
       "the fragment (and the Secret in it) removed before any recipient request"},
      out);
}

void CheckRecipientSendsNoSecret(const OracleContext& ctx, Findings& out) {
  CheckRoleLeaks(
      ctx,
      {"recipient-sends-no-secret", "RECIP-02", Sender::kRecipient, kLeakSecret | kLeakPlaintext,
       !ctx.secret_needles.empty() || !ctx.canary_needles.empty(),
       "neither the Secret nor planted plaintext in any recipient request"},
      out);
}

void CheckNoCookies(const OracleContext& ctx, Findings& out) {
  for (const ExchangeFacts& f : ctx.ex) {
    const har::Exchange& e = *f.exchange;
    if (std::string c = text::FindHeader(e.request_headers, "Cookie").value_or(""); !c.empty()) {
      out.Fail("no-cookies", "PRIV-05",
               f.name + ", header Cookie: a device sends a cookie (" + Redact(c) + ")",
               "no Cookie header", "Cookie: " + Redact(c));
    }
    if (std::string c = text::FindHeader(e.response_headers, "Set-Cookie").value_or("");
        !c.empty()) {
      out.Fail("no-cookies", "PRIV-04",
               f.name + ", response header Set-Cookie: the relay sets a cookie (" + Redact(c) + ")",
               "no Set-Cookie header", "Set-Cookie: " + Redact(c));
    }
  }
  if (out.failures("no-cookies") == 0 && !ctx.ex.empty()) {
    out.PassIfClean("no-cookies", "PRIV-05", true,
                    "no Cookie in " + std::to_string(ctx.ex.size()) + " device requests",
                    "no Cookie header");
    out.PassIfClean("no-cookies", "PRIV-04", true,
                    "no Set-Cookie in " + std::to_string(ctx.ex.size()) + " relay responses",
                    "no Set-Cookie header");
  }
}

}  // namespace tigress::harness
