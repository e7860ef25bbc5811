// File: harness/oracles/oracle_context.cc
#include "harness/oracles/oracle_context.h"

#include <algorithm>
#include <regex>

#include "harness/oracles/oracle_checks.h"
#include "protocol/payload.h"
#include "protocol/text.h"

namespace tigress::harness {
namespace {

std::string HeaderOrEmpty(const har::Headers& h, std::string_view name) {
  return text::FindHeader(h, name).value_or("");
}

void SortLongestFirst(std::vector<Needle>& needles) {
  // Longest first, so a padded form is masked whole.
  std::sort(needles.begin(), needles.end(),
            [](const Needle& a, const Needle& b) { return a.text.size() > b.text.size(); });
}

std::vector<Needle> SecretNeedles(const std::vector<Bytes>& secrets) {
  std::vector<Needle> out;
  for (const auto& s : secrets) {
    for (auto& [name, text] : SecretEncodings(s)) {
      out.push_back({std::move(text), "[secret:" + name + "]"});
    }
  }
  SortLongestFirst(out);
  return out;
}

std::vector<Needle> CanaryNeedles(const std::vector<std::string>& canaries) {
  static const std::regex kDateLike(R"([0-9:TZtz.+ -]*)");
  std::vector<Needle> out;
  for (const auto& c : canaries) {
    // Dates and numbers in Provisioning Information also occur legitimately
    // elsewhere (an expiration): only distinctive text is a canary.
    if (c.size() >= 8 && !std::regex_match(c, kDateLike)) {
      out.push_back({c, "[canary:" + Redact(c) + "]"});
    }
  }
  SortLongestFirst(out);
  return out;
}

// The mailbox id of a 2xx response's string urlLink, lower-cased.
std::optional<std::string> UrlLinkMailbox(const har::Exchange& e) {
  if (e.status < 200 || e.status >= 300) {
    return std::nullopt;
  }
  Json rb = Json::parse(e.response_body, nullptr, false);
  if (rb.is_discarded() || !rb.is_object() || !rb.contains("urlLink") ||
      !rb["urlLink"].is_string()) {
    return std::nullopt;
  }
  return text::ToLowerAscii(LastSegment(PathOnly(rb["urlLink"].get<std::string>())));
}

ExchangeFacts FactsOf(std::size_t i, const har::Exchange& e) {
  ExchangeFacts f;
  f.exchange = &e;
  f.target = RequestTarget(e.url);
  f.path = PathOnly(e.url);
  f.name = ExchangeName(i, e);
  f.claim = HeaderOrEmpty(e.request_headers, "Mailbox-Device-Claim");
  f.request_id = HeaderOrEmpty(e.request_headers, "Mailbox-Request-ID");
  f.body = Json::parse(e.request_body, nullptr, false);
  const std::string last = LastSegment(f.path);
  f.is_create = e.method == "POST" && last == "m";
  f.ok = e.status >= 200 && e.status < 300;
  f.target_mailbox = text::ToLowerAscii(last);
  const std::optional<std::string> link = UrlLinkMailbox(e);
  if (e.method == "POST") {
    f.created_mailbox = link;
  }
  f.mailbox = last == "m" && link ? *link : f.target_mailbox;
  return f;
}

// Claims, and the mailboxes the creates made.
void CollectCreates(OracleContext& ctx) {
  std::map<std::string, std::string> create_key;  // mailbox -> claim + Request-ID that made it
  for (std::size_t i = 0; i < ctx.ex.size(); ++i) {
    const ExchangeFacts& f = ctx.ex[i];
    if (!f.claim.empty()) {
      ctx.claim_first_use.emplace(f.claim, i);
    }
    if (!f.created_mailbox) {
      continue;
    }
    const std::string& id = *f.created_mailbox;
    const std::string key = f.claim + "/" + f.request_id;
    if (auto [it, fresh] = create_key.emplace(id, key); !fresh && it->second == key) {
      continue;  // a retried create answered with its mailbox (REPLAY-02)
    }
    ctx.created_ids.emplace_back(id, i);
    if (!f.claim.empty()) {
      ctx.initiator_of[id] = f.claim;
      ctx.created_by_claim[f.claim].insert(id);
    }
  }
}

void AttributeSenders(OracleContext& ctx) {
  std::set<std::string> initiator_claims;
  for (const ExchangeFacts& f : ctx.ex) {
    if (f.is_create && !f.claim.empty()) {
      initiator_claims.insert(f.claim);
    }
  }
  for (ExchangeFacts& f : ctx.ex) {
    if (initiator_claims.contains(f.claim)) {
      f.sender = Sender::kInitiator;
    } else if (!f.claim.empty() && ctx.initiator_of.contains(f.target_mailbox)) {
      f.sender = Sender::kRecipient;
    }
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> SecretEncodings(ByteView secret) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::string std64 = Base64Encode(secret);
  out.emplace_back("base64", std64);
  std::string unpadded = std64.substr(0, std64.find('='));
  if (unpadded != std64) {
    out.emplace_back("base64-unpadded", unpadded);
  }
  out.emplace_back("base64url", Base64UrlEncode(secret, true));
  if (Base64UrlEncode(secret, false) != Base64UrlEncode(secret, true)) {
    out.emplace_back("base64url-unpadded", Base64UrlEncode(secret, false));
  }
  const std::string hex = HexEncode(secret);
  out.emplace_back("hex", hex);
  std::string upper = hex;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  out.emplace_back("HEX", upper);
  for (bool lower : {false, true}) {
    std::string pct;
    for (char c : std64) {
      if (c == '+') {
        pct += lower ? "%2b" : "%2B";
      } else if (c == '/') {
        pct += lower ? "%2f" : "%2F";
      } else if (c == '=') {
        pct += lower ? "%3d" : "%3D";
      } else {
        pct += c;
      }
    }
    if (pct != std64) {
      out.emplace_back(lower ? "percent-base64-lower" : "percent-base64", pct);
    }
  }
  // Drop duplicates (a Secret whose base64 has no '+', '/' or '=').
  std::vector<std::pair<std::string, std::string>> uniq;
  for (auto& p : out) {
    if (std::none_of(uniq.begin(), uniq.end(),
                     [&](const auto& u) { return u.second == p.second; })) {
      uniq.push_back(std::move(p));
    }
  }
  return uniq;
}

const char* SenderName(Sender s) {
  return s == Sender::kInitiator ? "the initiator" : s == Sender::kRecipient ? "the recipient" : "";
}

OracleContext BuildOracleContext(const OracleInput& in) {
  OracleContext ctx;
  ctx.in = &in;
  ctx.secret_needles = SecretNeedles(in.secrets);
  for (const auto& f : in.fragments) {
    if (f.size() >= 8) {
      ctx.fragments.push_back(text::PercentDecode(f));
    }
  }
  ctx.canary_needles = CanaryNeedles(in.canaries);
  const auto& exchanges = in.transcript->exchanges;
  ctx.ex.reserve(exchanges.size());
  for (std::size_t i = 0; i < exchanges.size(); ++i) {
    ctx.ex.push_back(FactsOf(i, exchanges[i]));
  }
  CollectCreates(ctx);
  AttributeSenders(ctx);
  for (std::size_t i = 0; i < ctx.ex.size(); ++i) {
    ExchangeLeaks leaks = ScanLeaks(ctx, i);
    ctx.ex[i].leaks = leaks.kinds;
    ctx.ex[i].leak_findings = std::move(leaks.findings);
  }
  return ctx;
}

void Findings::Fail(const std::string& check, const std::string& req, std::string message,
                    std::string expected, std::string actual) {
  if (++failures_[check] > kMaxFindingsPerCheck) {
    return;
  }
  out_.push_back({check, req, false, std::move(message), std::move(expected), std::move(actual)});
}

void Findings::Fail(const Finding& f) {
  Fail(f.check, f.requirement, f.message, f.expected, f.actual);
}

void Findings::PassIfClean(const std::string& check, const std::string& req, bool examined,
                           std::string message, const std::string& expected) {
  if (examined && failures(check) == 0) {
    out_.push_back({check, req, true, std::move(message), expected, expected});
  }
}

void Findings::Append(const std::vector<Finding>& more) {
  out_.insert(out_.end(), more.begin(), more.end());
}

std::size_t Findings::failures(const std::string& check) const {
  auto it = failures_.find(check);
  return it == failures_.end() ? 0 : it->second;
}

std::string ExchangeName(std::size_t i, const har::Exchange& e) {
  return "exchange #" + std::to_string(i + 1) + " (" + e.method + " " + PathOnly(e.url) + ")";
}

std::string RequestTarget(std::string_view url) {
  auto s = url.find("://");
  std::size_t start = s == std::string_view::npos ? 0 : url.find('/', s + 3);
  return start == std::string_view::npos ? "/" : std::string(url.substr(start));
}

std::string PathOnly(std::string_view url) {
  std::string t = RequestTarget(url);
  return t.substr(0, t.find_first_of("?#"));
}

std::string LastSegment(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string MaskAll(std::string text, const std::vector<Needle>& needles) {
  for (const auto& n : needles) {
    if (n.text.empty()) {
      continue;
    }
    for (auto pos = text.find(n.text); pos != std::string::npos;
         pos = text.find(n.text, pos + n.label.size())) {
      text.replace(pos, n.text.size(), n.label);
    }
  }
  return text;
}

std::string Excerpt(const std::string& masked, const std::string& marker) {
  auto pos = masked.find(marker);
  if (pos == std::string::npos) {
    pos = 0;
  }
  const std::size_t from = pos > 40 ? pos - 40 : 0;
  std::string out = masked.substr(from, marker.size() + 80);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      c = ' ';
    }
  }
  return (from > 0 ? "…" : "") + out + (from + marker.size() + 80 < masked.size() ? "…" : "");
}

void JsonLeaves(const Json& j, const std::string& path, std::vector<Place>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      JsonLeaves(v, path.empty() ? k : path + "." + k, out);
    }
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) {
      JsonLeaves(j[i], path + "[" + std::to_string(i) + "]", out);
    }
  } else if (j.is_string()) {
    out.push_back(
        {"body " + (path.empty() ? std::string("(string)") : path), j.get<std::string>()});
  }
}

namespace {

std::string PayloadMember(const Json& body, const char* member) {
  if (body.is_object() && body.contains("payload") && body["payload"].is_object() &&
      body["payload"].contains(member) && body["payload"][member].is_string()) {
    return body["payload"][member].get<std::string>();
  }
  return {};
}

}  // namespace

std::string PayloadData(const Json& body) { return PayloadMember(body, "data"); }

std::string PayloadType(const Json& body) { return PayloadMember(body, "type"); }

std::optional<std::size_t> OpeningSecret(const std::vector<Bytes>& secrets, const Json& body) {
  const std::string data = PayloadData(body);
  if (data.empty()) {
    return std::nullopt;
  }
  auto cipher = ParseCipher(PayloadType(body));
  for (std::size_t k = 0; k < secrets.size(); ++k) {
    const Bytes& s = secrets[k];
    auto c = cipher ? Result<Cipher>(*cipher) : CipherForKeyLength(s.size());
    if (c && KeyLength(*c) == s.size() && OpenData(*c, s, data)) {
      return k;
    }
  }
  return std::nullopt;
}

const char* JsonTextKind(const Bytes& raw) {
  Json pt = Json::parse(raw.begin(), raw.end(), nullptr, false);
  if (pt.is_discarded()) {
    return nullptr;
  }
  return pt.is_object() ? "object" : pt.is_array() ? "array" : nullptr;
}

}  // namespace tigress::harness
