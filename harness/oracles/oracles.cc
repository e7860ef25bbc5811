// File: harness/oracles/oracles.cc
#include "harness/oracles/oracles.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "protocol/payload.h"
#include "protocol/rfc3339.h"
#include "protocol/uuid.h"

namespace tigress::harness {
namespace {

using Json = nlohmann::json;

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string Header(const har::Headers& h, std::string_view name) {
  for (const auto& [k, v] : h) {
    if (IEquals(k, name)) {
      return v;
    }
  }
  return {};
}

// The request target of an absolute URL ("/v1/m/…?v=c").
std::string Target(std::string_view url) {
  auto s = url.find("://");
  std::size_t start = s == std::string_view::npos ? 0 : url.find('/', s + 3);
  return start == std::string_view::npos ? "/" : std::string(url.substr(start));
}

std::string PathOnly(std::string_view url) {
  std::string t = Target(url);
  return t.substr(0, t.find_first_of("?#"));
}

std::string LastSegment(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// One place a leak can be seen in: "request line", "header X-Foo", "body
// payload.data", with its text.
struct Place {
  std::string name;
  std::string text;
};

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

// Every place of a request the relay sees; JSON bodies by leaf so a finding
// names the field (a key itself is checked through the raw body as well).
std::vector<Place> RequestPlaces(const har::Exchange& e) {
  std::vector<Place> out;
  out.push_back({"request line", e.method + " " + Target(e.url) + " " + e.http_version});
  for (const auto& [k, v] : e.request_headers) {
    out.push_back({"header " + k, k + ": " + v});
  }
  if (!e.request_body.empty()) {
    Json j = Json::parse(e.request_body, nullptr, false);
    if (!j.is_discarded()) {
      JsonLeaves(j, "", out);
    }
    out.push_back({"body", e.request_body});
  }
  return out;
}

struct Needle {
  std::string text;
  std::string label;  // what replaces it in excerpts
};

std::string MaskAll(std::string text, const std::vector<Needle>& needles) {
  // Needles are sorted longest first, so a padded form is masked whole.
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

// An excerpt of `masked` around the first occurrence of `marker`.
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

std::string ExchangeName(std::size_t i, const har::Exchange& e) {
  return "exchange #" + std::to_string(i + 1) + " (" + e.method + " " + PathOnly(e.url) + ")";
}

class Collector {
 public:
  explicit Collector(std::vector<Finding>& out) : out_(out) {}

  void Fail(const std::string& check, const std::string& req, std::string message,
            std::string expected, std::string actual) {
    if (++failures_[check] > kMaxFindingsPerCheck) {
      return;
    }
    out_.push_back({check, req, false, std::move(message), std::move(expected), std::move(actual)});
  }
  // A passing finding when the check examined something and nothing failed.
  void PassIfClean(const std::string& check, const std::string& req, bool examined,
                   std::string message, std::string expected) {
    if (examined && failures_[check] == 0) {
      out_.push_back({check, req, true, std::move(message), expected, expected});
    }
  }
  std::size_t failures(const std::string& check) { return failures_[check]; }

 private:
  std::vector<Finding>& out_;
  std::map<std::string, std::size_t> failures_;
};

std::vector<Needle> SecretNeedles(const std::vector<Bytes>& secrets) {
  std::vector<Needle> out;
  for (const auto& s : secrets) {
    for (auto& [name, text] : SecretEncodings(s)) {
      out.push_back({std::move(text), "[secret:" + name + "]"});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Needle& a, const Needle& b) { return a.text.size() > b.text.size(); });
  return out;
}

const char* FirstMarker(const std::string& masked) {
  static const std::string kPrefix = "[secret:";
  return masked.find(kPrefix) != std::string::npos ? "[secret:" : nullptr;
}

// Payload `data` strings written in a request body (create, update).
std::string PayloadData(const Json& body) {
  if (body.is_object() && body.contains("payload") && body["payload"].is_object() &&
      body["payload"].contains("data") && body["payload"]["data"].is_string()) {
    return body["payload"]["data"].get<std::string>();
  }
  return {};
}

std::string PayloadType(const Json& body) {
  if (body.is_object() && body.contains("payload") && body["payload"].is_object() &&
      body["payload"].contains("type") && body["payload"]["type"].is_string()) {
    return body["payload"]["type"].get<std::string>();
  }
  return {};
}

// The index in `secrets` of the Secret that opens the payload written in
// `body`: of the cipher `payload.type` names, else of the Secret's length.
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

std::size_t CountDigits(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }));
}

bool LooksSequential(const std::string& id) {
  std::string hex;
  for (char c : id) {
    if (c != '-') {
      hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  std::size_t run = 1;
  for (std::size_t i = 1; i < hex.size(); ++i) {
    run = hex[i] == hex[i - 1] ? run + 1 : 1;
    if (run >= 8) {
      return true;
    }
  }
  return false;
}

// What an exchange leaked (RunOracles' leak checks), for the checks that
// attribute leaks to the device that sent them.
constexpr unsigned kLeakSecret = 1;
constexpr unsigned kLeakFragment = 2;
constexpr unsigned kLeakPlaintext = 4;

// The device that sent an exchange: the initiator's claim is the one on a
// create; any other claim on a mailbox created in the case is a recipient's.
// Requests without a claim (a preview) belong to neither.
enum class Sender { kUnknown, kInitiator, kRecipient };

const char* SenderName(Sender s) {
  return s == Sender::kInitiator ? "the initiator" : s == Sender::kRecipient ? "the recipient" : "";
}

bool IsCreate(const har::Exchange& e) {
  return e.method == "POST" && LastSegment(PathOnly(e.url)) == "m";
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The mailbox an exchange is about: the last path segment, or for a create
// the id of the urlLink it got (lower-case).
std::string MailboxOf(const har::Exchange& e) {
  std::string id = LastSegment(PathOnly(e.url));
  if (id == "m" && e.status >= 200 && e.status < 300) {
    Json rb = Json::parse(e.response_body, nullptr, false);
    if (!rb.is_discarded() && rb.is_object() && rb.contains("urlLink") &&
        rb["urlLink"].is_string()) {
      id = LastSegment(PathOnly(rb["urlLink"].get<std::string>()));
    }
  }
  return Lower(id);
}

// What identifying information `text` holds ("an e-mail address", "a phone
// number", "declared personal data"), or "" for none. With `ids`, also a
// run of 15 digits (an IMEI) or a serial-number label.
std::string IdentifyingIn(const std::string& text, const std::vector<std::string>& personal_data,
                          bool ids) {
  static const std::regex kEmail(
      R"([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})");
  static const std::regex kPhone(R"(\+?[0-9][0-9 ().-]{7,}[0-9])");
  static const std::regex kImei(R"((^|[^0-9])[0-9]{15}([^0-9]|$))");
  // Separators base64 never holds, so a random value cannot match by chance.
  static const std::regex kSerial(R"((serial|imei|udid)[ :=#])", std::regex::icase);
  std::smatch m;
  if (std::regex_search(text, m, kEmail)) {
    return "an e-mail address";
  }
  if (std::regex_search(text, m, kPhone) && CountDigits(m.str()) >= 10 && !ids) {
    return "a phone number";
  }
  if (ids && (std::regex_search(text, kImei) || std::regex_search(text, kSerial))) {
    return "a device identifier (IMEI or serial number)";
  }
  for (const auto& pd : personal_data) {
    if (!pd.empty() && text.find(pd) != std::string::npos) {
      return "declared personal data";
    }
  }
  return {};
}

// `MissingCreateParts` lists what INIT-02 requires of a create and `e` lacks
// or mistypes ("header Mailbox-Request-ID", "displayInformation.title (a
// string)").
std::vector<std::string> MissingCreateParts(const har::Exchange& e) {
  std::vector<std::string> missing;
  for (const char* h : {"Mailbox-Device-Claim", "Mailbox-Request-ID"}) {
    if (Header(e.request_headers, h).empty()) {
      missing.push_back(std::string("header ") + h);
    }
  }
  const std::string type = Lower(Header(e.request_headers, "Content-Type"));
  if (type.substr(0, type.find(';')) != "application/json") {
    missing.push_back("header Content-Type: application/json");
  }
  Json b = Json::parse(e.request_body, nullptr, false);
  if (b.is_discarded() || !b.is_object()) {
    missing.push_back("a JSON object body");
    return missing;
  }
  const std::pair<const char*, std::vector<const char*>> kFields[] = {
      {"payload", {"type", "data"}},
      {"displayInformation", {"title", "description", "imageURL"}},
      {"mailboxConfiguration", {"expiration"}}};
  for (const auto& [object, members] : kFields) {
    if (!b.contains(object) || !b[object].is_object()) {
      missing.push_back(std::string(object) + " (an object)");
      continue;
    }
    for (const char* m : members) {
      if (!b[object].contains(m) || !b[object][m].is_string()) {
        missing.push_back(std::string(object) + "." + m + " (a string)");
      }
    }
  }
  return missing;
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

std::vector<Finding> RunOracles(const OracleInput& in) {
  std::vector<Finding> out;
  if (in.transcript == nullptr) {
    return out;
  }
  Collector col(out);
  const auto& ex = in.transcript->exchanges;
  const std::vector<Needle> secret_needles = SecretNeedles(in.secrets);
  std::vector<std::string> fragments;
  for (const auto& f : in.fragments) {
    if (f.size() >= 8) {
      fragments.push_back(PercentDecode(f));
    }
  }
  std::vector<Needle> canary_needles;
  static const std::regex kDateLike(R"([0-9:TZtz.+ -]*)");
  for (const auto& c : in.canaries) {
    // Dates and numbers in Provisioning Information also occur legitimately
    // elsewhere (an expiration): only distinctive text is a canary.
    if (c.size() >= 8 && !std::regex_match(c, kDateLike)) {
      canary_needles.push_back({c, "[canary:" + Redact(c) + "]"});
    }
  }
  std::sort(canary_needles.begin(), canary_needles.end(),
            [](const Needle& a, const Needle& b) { return a.text.size() > b.text.size(); });

  // secret-never-sent, fragment-never-sent, plaintext-never-sent. `leaks`
  // keeps what each exchange leaked (the Collector caps findings per check)
  // for the role-attributed checks below.
  std::vector<unsigned> leaks(ex.size(), 0);
  for (std::size_t i = 0; i < ex.size(); ++i) {
    const har::Exchange& e = ex[i];
    const std::string target = Target(e.url);
    bool fragment_in_target = false;
    if (target.find('#') != std::string::npos) {
      fragment_in_target = true;
      leaks[i] |= kLeakFragment;
      col.Fail("fragment-never-sent", "RECIP-01",
               ExchangeName(i, e) + ": the request line holds a '#' fragment: " +
                   Excerpt(MaskAll(target, secret_needles), "#"),
               "no fragment in the request target", "a '#' in the request target");
    }
    const std::string decoded_target = PercentDecode(target);
    for (const auto& f : fragments) {
      if (!fragment_in_target && decoded_target.find(f) != std::string::npos) {
        fragment_in_target = true;
        leaks[i] |= kLeakFragment;
        col.Fail("fragment-never-sent", "RECIP-01",
                 ExchangeName(i, e) + ": the share URL's fragment is in the request line: " +
                     Excerpt(MaskAll(target, secret_needles), "[secret:"),
                 "the fragment stripped before any relay request",
                 "the fragment text in the request target");
      }
    }
    std::set<std::string> secret_places;
    for (const Place& p : RequestPlaces(e)) {
      const std::string masked = MaskAll(p.text, secret_needles);
      if (FirstMarker(masked) != nullptr) {
        const bool attributed = fragment_in_target && p.name == "request line";
        leaks[i] |= attributed ? 0U : kLeakSecret;
        if (!attributed && p.name != "body" && secret_places.insert(p.name).second) {
          col.Fail(
              "secret-never-sent", "PRIV-01",
              ExchangeName(i, e) + ", " + p.name +
                  ": the Secret is sent to the relay: " + Excerpt(masked, "[secret:"),
              "no encoding of the Secret in any request",
              masked.substr(masked.find("[secret:"), masked.find(']', masked.find("[secret:")) -
                                                         masked.find("[secret:") + 1));
        } else if (p.name == "body" && secret_places.empty() && !attributed) {
          // A body that is not JSON (or a JSON key) holds it.
          secret_places.insert(p.name);
          col.Fail("secret-never-sent", "PRIV-01",
                   ExchangeName(i, e) +
                       ", body: the Secret is sent to the relay: " + Excerpt(masked, "[secret:"),
                   "no encoding of the Secret in any request", "the Secret in the body");
        }
      }
      if (p.name == "body") {
        continue;  // canaries in JSON bodies are reported by field
      }
      const std::string cmasked = MaskAll(p.text, canary_needles);
      if (cmasked.find("[canary:") != std::string::npos) {
        leaks[i] |= kLeakPlaintext;
        col.Fail("plaintext-never-sent", "PRIV-02",
                 ExchangeName(i, e) + ", " + p.name +
                     ": plaintext Provisioning Information is sent to the relay: " +
                     Excerpt(MaskAll(cmasked, secret_needles), "[canary:"),
                 "no plaintext of the Provisioning Information in any request",
                 "a planted canary in clear");
      }
    }
    Json body = Json::parse(e.request_body, nullptr, false);
    const std::string data = body.is_discarded() ? "" : PayloadData(body);
    if (!data.empty()) {
      auto raw = Base64DecodeLenient(data);
      if (raw) {
        Json pt = Json::parse(raw->begin(), raw->end(), nullptr, false);
        if (!pt.is_discarded() && (pt.is_object() || pt.is_array())) {
          leaks[i] |= kLeakPlaintext;
          col.Fail("plaintext-never-sent", "PRIV-02",
                   ExchangeName(i, e) +
                       ", body payload.data: the payload is base64 of JSON text, not a "
                       "ciphertext (" +
                       std::to_string(raw->size()) + " octets starting '" +
                       std::string(1, static_cast<char>((*raw)[0])) + "')",
                   "payload.data is IV || ciphertext || tag",
                   "decodes to a JSON " + std::string(pt.is_object() ? "object" : "array"));
        }
      }
    }
  }
  if (!secret_needles.empty() && !in.relay_stderr.empty()) {
    const std::string masked = MaskAll(in.relay_stderr, secret_needles);
    if (masked.find("[secret:") != std::string::npos) {
      col.Fail(
          "secret-never-sent", "PRIV-01",
          "relay stderr: the Secret appears in the relay's log: " + Excerpt(masked, "[secret:"),
          "no encoding of the Secret in the relay's stderr", "the Secret in stderr");
    }
  }
  if (!canary_needles.empty() && !in.relay_stderr.empty()) {
    const std::string masked = MaskAll(in.relay_stderr, canary_needles);
    if (masked.find("[canary:") != std::string::npos) {
      col.Fail("plaintext-never-sent", "PRIV-02",
               "relay stderr: plaintext Provisioning Information appears in the relay's log: " +
                   Excerpt(MaskAll(masked, secret_needles), "[canary:"),
               "no plaintext in the relay's stderr", "a planted canary in stderr");
    }
  }
  const bool any_request = !ex.empty();
  col.PassIfClean("secret-never-sent", "PRIV-01", any_request && !secret_needles.empty(),
                  "no encoding of the case's " + std::to_string(in.secrets.size()) +
                      " Secret(s) in " + std::to_string(ex.size()) +
                      " request(s) to the relay or its stderr",
                  "no encoding of the Secret in any request");
  col.PassIfClean("fragment-never-sent", "RECIP-01", any_request && !fragments.empty(),
                  "no request target among " + std::to_string(ex.size()) +
                      " holds a fragment or the share URL's fragment text",
                  "the fragment stripped before any relay request");
  col.PassIfClean("plaintext-never-sent", "PRIV-02", any_request && !canary_needles.empty(),
                  "none of " + std::to_string(canary_needles.size()) +
                      " planted canaries in any request or the relay's stderr; no payload is "
                      "JSON text",
                  "no plaintext of the Provisioning Information in any request");

  // Claims, mailboxes, tokens.
  std::map<std::string, std::string> initiator_of;       // mailbox -> claim
  std::map<std::string, std::set<std::string>> created;  // claim -> mailboxes it created
  std::vector<std::pair<std::string, std::size_t>> created_ids;
  std::map<std::string, std::string> create_key;  // mailbox -> claim + Request-ID that made it
  std::set<std::string> claims;
  std::map<std::string, std::size_t> first_use;  // claim -> exchange index
  for (std::size_t i = 0; i < ex.size(); ++i) {
    const har::Exchange& e = ex[i];
    const std::string claim = Header(e.request_headers, "Mailbox-Device-Claim");
    if (!claim.empty() && claims.insert(claim).second) {
      first_use[claim] = i;
    }
    if (e.method == "POST" && e.status >= 200 && e.status < 300) {
      Json rb = Json::parse(e.response_body, nullptr, false);
      if (!rb.is_discarded() && rb.is_object() && rb.contains("urlLink") &&
          rb["urlLink"].is_string()) {
        const std::string id = Lower(LastSegment(PathOnly(rb["urlLink"].get<std::string>())));
        const std::string key = claim + "/" + Header(e.request_headers, "Mailbox-Request-ID");
        if (auto [it, fresh] = create_key.emplace(id, key); !fresh && it->second == key) {
          continue;  // a retried create answered with its mailbox (REPLAY-02)
        }
        created_ids.emplace_back(id, i);
        if (!claim.empty()) {
          initiator_of[id] = claim;
          created[claim].insert(id);
        }
      }
    }
  }
  for (const auto& c : claims) {
    if (!IsUuidV4(c)) {
      const std::size_t i = first_use[c];
      col.Fail("claims-v4", "PRIV-06",
               ExchangeName(i, ex[i]) + ", header Mailbox-Device-Claim: " + Redact(c) +
                   " is not a version-4 UUID (version " + std::to_string(UuidVersion(c)) + ")",
               "a random version-4 UUID", "version " + std::to_string(UuidVersion(c)));
    }
  }
  col.PassIfClean("claims-v4", "PRIV-06", !claims.empty(),
                  "all " + std::to_string(claims.size()) +
                      " distinct device claims sent to the relay are version-4 UUIDs",
                  "random version-4 UUIDs");
  for (const auto& [claim, boxes] : created) {
    if (boxes.size() > 1) {
      col.Fail("initiator-claim-fresh", "INIT-01",
               "the claim " + Redact(claim) + " created " + std::to_string(boxes.size()) +
                   " mailboxes (first at " + ExchangeName(first_use[claim], ex[first_use[claim]]) +
                   ")",
               "a new claim for every mailbox", "one claim on " + std::to_string(boxes.size()));
    }
  }
  col.PassIfClean("initiator-claim-fresh", "INIT-01", created.size() > 1 || created_ids.size() > 1,
                  std::to_string(created_ids.size()) + " mailboxes created with " +
                      std::to_string(created.size()) + " distinct claims",
                  "a new claim for every mailbox");
  // Recipient claims: successful requests on a mailbox with another claim
  // than the one that created it.
  std::map<std::string, std::set<std::string>> recipient_boxes;  // claim -> mailboxes
  std::map<std::string, std::size_t> recipient_first;
  for (std::size_t i = 0; i < ex.size(); ++i) {
    const har::Exchange& e = ex[i];
    const std::string claim = Header(e.request_headers, "Mailbox-Device-Claim");
    const std::string id = Lower(LastSegment(PathOnly(e.url)));
    auto it = initiator_of.find(id);
    if (claim.empty() || it == initiator_of.end() || it->second == claim || e.status < 200 ||
        e.status >= 300) {
      continue;
    }
    if (recipient_boxes[claim].insert(id).second && recipient_boxes[claim].size() == 1) {
      recipient_first[claim] = i;
    }
  }
  for (const auto& [claim, boxes] : recipient_boxes) {
    const std::size_t i = recipient_first[claim];
    if (boxes.size() > 1) {
      col.Fail("recipient-claim-fresh", "RECIP-03",
               "the recipient claim " + Redact(claim) + " is used on " +
                   std::to_string(boxes.size()) + " mailboxes (first at " + ExchangeName(i, ex[i]) +
                   ")",
               "a new recipient claim per mailbox", "one claim on " + std::to_string(boxes.size()));
    } else if (created.contains(claim)) {
      col.Fail("recipient-claim-fresh", "RECIP-03",
               "the recipient claim " + Redact(claim) + " (" + ExchangeName(i, ex[i]) +
                   ") also created a mailbox",
               "the recipient's own claim, new per mailbox", "an initiator's claim reused");
    }
  }
  col.PassIfClean("recipient-claim-fresh", "RECIP-03", !recipient_boxes.empty(),
                  std::to_string(recipient_boxes.size()) +
                      " recipient claim(s), each on one mailbox and none an initiator's",
                  "the recipient's own claim, new per mailbox");

  std::set<std::string> initiator_claims;
  for (const har::Exchange& e : ex) {
    if (IsCreate(e)) {
      initiator_claims.insert(Header(e.request_headers, "Mailbox-Device-Claim"));
    }
  }
  initiator_claims.erase("");
  std::vector<Sender> sender(ex.size(), Sender::kUnknown);
  for (std::size_t i = 0; i < ex.size(); ++i) {
    const std::string claim = Header(ex[i].request_headers, "Mailbox-Device-Claim");
    if (initiator_claims.contains(claim)) {
      sender[i] = Sender::kInitiator;
    } else if (!claim.empty() && initiator_of.contains(Lower(LastSegment(PathOnly(ex[i].url))))) {
      sender[i] = Sender::kRecipient;
    }
  }
  // The leak checks again, each for the device whose requirement it is.
  struct RoleLeak {
    const char* check;
    const char* req;
    Sender who;
    unsigned leaks;
    bool examinable;
    const char* expected;
  };
  const RoleLeak kRoleLeaks[] = {
      {"initiator-sends-no-secret", "INIT-13", Sender::kInitiator, kLeakSecret,
       !secret_needles.empty(), "no encoding of the Secret in any initiator request"},
      {"recipient-strips-fragment", "URL-08", Sender::kRecipient, kLeakSecret | kLeakFragment,
       !secret_needles.empty() || !fragments.empty(),
       "the fragment (and the Secret in it) removed before any recipient request"},
      {"recipient-sends-no-secret", "RECIP-02", Sender::kRecipient, kLeakSecret | kLeakPlaintext,
       !secret_needles.empty() || !canary_needles.empty(),
       "neither the Secret nor planted plaintext in any recipient request"},
  };
  for (const RoleLeak& r : kRoleLeaks) {
    std::size_t examined = 0;
    for (std::size_t i = 0; i < ex.size(); ++i) {
      if (sender[i] != r.who) {
        continue;
      }
      ++examined;
      if ((leaks[i] & r.leaks) != 0) {
        const unsigned what = leaks[i] & r.leaks;
        col.Fail(r.check, r.req,
                 ExchangeName(i, ex[i]) + ", sent by " + SenderName(r.who) + ": " +
                     ((what & kLeakSecret) != 0     ? "the Secret"
                      : (what & kLeakFragment) != 0 ? "the share URL's fragment"
                                                    : "plaintext Provisioning Information") +
                     " reaches the relay (the leak checks' findings show where)",
                 r.expected, "a leak in a request by " + std::string(SenderName(r.who)));
      }
    }
    col.PassIfClean(r.check, r.req, examined > 0 && r.examinable,
                    std::to_string(examined) + " request(s) by " + SenderName(r.who) +
                        " hold nothing the leak checks look for",
                    r.expected);
  }

  std::map<std::string, std::set<std::string>> token_boxes;
  std::map<std::string, std::size_t> token_first;
  std::map<std::string, std::set<Sender>> token_senders;
  for (std::size_t i = 0; i < ex.size(); ++i) {
    const har::Exchange& e = ex[i];
    Json b = Json::parse(e.request_body, nullptr, false);
    if (b.is_discarded() || !b.is_object() || !b.contains("notificationToken") ||
        !b["notificationToken"].is_object()) {
      continue;
    }
    const Json& t = b["notificationToken"];
    const std::string token = t.contains("tokenData") ? t["tokenData"].dump() : t.dump();
    const std::string id = MailboxOf(e);
    if (token_boxes[token].insert(id).second && token_boxes[token].size() == 1) {
      token_first[token] = i;
    }
    token_senders[token].insert(sender[i]);
  }
  for (const auto& [token, boxes] : token_boxes) {
    if (boxes.size() > 1) {
      const std::size_t i = token_first[token];
      col.Fail("token-fresh", "PRIV-07",
               "the notification token " + Redact(token) + " is sent for " +
                   std::to_string(boxes.size()) + " mailboxes (first at " + ExchangeName(i, ex[i]) +
                   ")",
               "a new notification token per share",
               "one token on " + std::to_string(boxes.size()) + " mailboxes");
      for (Sender who : token_senders[token]) {
        if (who != Sender::kUnknown) {
          col.Fail(who == Sender::kInitiator ? "initiator-identifiers" : "recipient-token-fresh",
                   who == Sender::kInitiator ? "INIT-14" : "RECIP-16",
                   std::string(SenderName(who)) + " sends the notification token " + Redact(token) +
                       " for " + std::to_string(boxes.size()) + " mailboxes",
                   "a new notification token per share",
                   "one token on " + std::to_string(boxes.size()) + " mailboxes");
        }
      }
    }
  }
  bool initiator_examined = false;
  bool recipient_token_seen = false;
  for (const auto& [token, who] : token_senders) {
    initiator_examined |= who.contains(Sender::kInitiator);
    recipient_token_seen |= who.contains(Sender::kRecipient);
  }
  col.PassIfClean("recipient-token-fresh", "RECIP-16", recipient_token_seen,
                  "each notification token the recipient sent is used for one mailbox",
                  "a new notification token per share");
  col.PassIfClean(
      "token-fresh", "PRIV-07", !token_boxes.empty(),
      std::to_string(token_boxes.size()) + " notification token(s), each used for one mailbox",
      "a new notification token per share");

  for (std::size_t i = 0; i < ex.size(); ++i) {
    const har::Exchange& e = ex[i];
    if (std::string c = Header(e.request_headers, "Cookie"); !c.empty()) {
      col.Fail("no-cookies", "PRIV-05",
               ExchangeName(i, e) + ", header Cookie: a device sends a cookie (" + Redact(c) + ")",
               "no Cookie header", "Cookie: " + Redact(c));
    }
    if (std::string c = Header(e.response_headers, "Set-Cookie"); !c.empty()) {
      col.Fail("no-cookies", "PRIV-04",
               ExchangeName(i, e) + ", response header Set-Cookie: the relay sets a cookie (" +
                   Redact(c) + ")",
               "no Set-Cookie header", "Set-Cookie: " + Redact(c));
    }
  }
  if (col.failures("no-cookies") == 0 && any_request) {
    col.PassIfClean("no-cookies", "PRIV-05", true,
                    "no Cookie in " + std::to_string(ex.size()) + " device requests",
                    "no Cookie header");
    col.PassIfClean("no-cookies", "PRIV-04", true,
                    "no Set-Cookie in " + std::to_string(ex.size()) + " relay responses",
                    "no Set-Cookie header");
  }

  bool display_seen = false;
  for (std::size_t i = 0; i < ex.size(); ++i) {
    const har::Exchange& e = ex[i];
    Json b = Json::parse(e.request_body, nullptr, false);
    if (b.is_discarded() || !b.is_object() || !b.contains("displayInformation")) {
      continue;
    }
    display_seen = true;
    initiator_examined |= sender[i] == Sender::kInitiator;
    std::vector<Place> leaves;
    JsonLeaves(b["displayInformation"], "displayInformation", leaves);
    for (const Place& p : leaves) {
      if (p.name == "body displayInformation.imageURL") {
        continue;  // a URL; its host is not personal data
      }
      const std::string what = IdentifyingIn(p.text, in.personal_data, false);
      if (!what.empty()) {
        col.Fail(
            "display-not-identifying", "PRIV-09",
            ExchangeName(i, e) + ", " + p.name + " holds " + what + " (" + Redact(p.text) + ")",
            "no identifying information in displayInformation", what);
        if (sender[i] == Sender::kInitiator) {
          col.Fail("initiator-identifiers", "INIT-14",
                   ExchangeName(i, e) + ", sent by the initiator: " + p.name + " holds " + what,
                   "no identifying information in displayInformation", what);
        }
      }
    }
  }
  col.PassIfClean("initiator-identifiers", "INIT-14", initiator_examined,
                  "the initiator's notification tokens are each used for one mailbox and its "
                  "displayInformation holds no identifying information",
                  "fresh tokens and no identifying information");
  col.PassIfClean("display-not-identifying", "PRIV-09", display_seen,
                  "displayInformation sent to the relay holds no e-mail address, phone number "
                  "or declared personal data",
                  "no identifying information in displayInformation");

  // attestation-fresh: Mailbox-Device-Attestation values, per mailbox.
  std::map<std::string, std::set<std::string>> attestation_boxes;
  std::map<std::string, std::size_t> attestation_first;
  for (std::size_t i = 0; i < ex.size(); ++i) {
    const std::string a = Header(ex[i].request_headers, "Mailbox-Device-Attestation");
    if (a.empty()) {
      continue;
    }
    initiator_examined |= sender[i] == Sender::kInitiator;
    if (attestation_boxes[a].insert(MailboxOf(ex[i])).second && attestation_boxes[a].size() == 1) {
      attestation_first[a] = i;
      if (std::string what = IdentifyingIn(a, in.personal_data, true); !what.empty()) {
        col.Fail("attestation-fresh", "PRIV-08",
                 ExchangeName(i, ex[i]) + ", header Mailbox-Device-Attestation holds " + what +
                     " (" + Redact(a) + ")",
                 "no identifying information in attestation", what);
      }
    }
  }
  for (const auto& [a, boxes] : attestation_boxes) {
    if (boxes.size() > 1) {
      const std::size_t i = attestation_first[a];
      col.Fail("attestation-fresh", "PRIV-08",
               "the attestation " + Redact(a) + " is sent for " + std::to_string(boxes.size()) +
                   " mailboxes (first at " + ExchangeName(i, ex[i]) + ", " +
                   (sender[i] == Sender::kUnknown ? std::string("a device")
                                                  : std::string(SenderName(sender[i]))) +
                   "): it links the shares",
               "an attestation value that changes per share",
               "one value on " + std::to_string(boxes.size()) + " mailboxes");
      if (sender[i] == Sender::kInitiator) {
        col.Fail("initiator-identifiers", "INIT-14",
                 "the initiator sends the attestation " + Redact(a) + " for " +
                     std::to_string(boxes.size()) + " mailboxes",
                 "an attestation value that changes per share", "one value on several mailboxes");
      }
    }
  }
  col.PassIfClean("attestation-fresh", "PRIV-08", !attestation_boxes.empty(),
                  std::to_string(attestation_boxes.size()) +
                      " attestation value(s), each on one mailbox, none identifying",
                  "no identifying information in attestation, a new value per share");

  // create-well-formed, expiration-utc: what the initiator's creates carry.
  static const std::regex kUtc(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
  std::size_t creates = 0;
  std::size_t expirations = 0;
  for (std::size_t i = 0; i < ex.size(); ++i) {
    const har::Exchange& e = ex[i];
    if (!IsCreate(e)) {
      continue;
    }
    ++creates;
    if (auto missing = MissingCreateParts(e); !missing.empty()) {
      std::string list;
      for (const auto& m : missing) {
        list += (list.empty() ? "" : ", ") + m;
      }
      col.Fail("create-well-formed", "INIT-02", ExchangeName(i, e) + ": the create lacks " + list,
               "claim and Request-ID headers, JSON content type, payload, displayInformation "
               "and mailboxConfiguration.expiration",
               "missing: " + list);
    }
    Json b = Json::parse(e.request_body, nullptr, false);
    if (b.is_discarded() || !b.is_object() || !b.contains("mailboxConfiguration") ||
        !b["mailboxConfiguration"].is_object() ||
        !b["mailboxConfiguration"].contains("expiration") ||
        !b["mailboxConfiguration"]["expiration"].is_string()) {
      continue;
    }
    ++expirations;
    const std::string when = b["mailboxConfiguration"]["expiration"].get<std::string>();
    auto parsed = ParseRfc3339(when);
    if (!std::regex_match(when, kUtc)) {
      col.Fail("expiration-utc", "INIT-04",
               ExchangeName(i, e) + ", body mailboxConfiguration.expiration: \"" + when +
                   "\" is not UTC in the form YYYY-MM-DDThh:mm:ssZ",
               "YYYY-MM-DDThh:mm:ssZ", when);
    } else if (parsed &&
               std::chrono::duration_cast<std::chrono::milliseconds>(parsed->time_since_epoch())
                       .count() <= e.started_ms) {
      col.Fail("expiration-utc", "INIT-04",
               ExchangeName(i, e) + ", body mailboxConfiguration.expiration: " + when +
                   " is not in the future when the create is sent",
               "an expiration after the create", when);
    }
  }
  col.PassIfClean("create-well-formed", "INIT-02", creates > 0,
                  std::to_string(creates) +
                      " create(s) carry claim, Request-ID, JSON content type and every "
                      "required member",
                  "claim and Request-ID headers, JSON content type, payload, displayInformation "
                  "and mailboxConfiguration.expiration");
  col.PassIfClean("expiration-utc", "INIT-04", expirations > 0,
                  std::to_string(expirations) +
                      " create expiration(s) are UTC YYYY-MM-DDThh:mm:ssZ and in the future",
                  "YYYY-MM-DDThh:mm:ssZ, in the future");

  // request-id-fresh: a device's mutating requests carry UUID Request-IDs and
  // a value comes back only on a retry (the same method, target, claim and
  // body).
  struct FirstUse {
    std::size_t exchange;
    std::string request;
  };
  std::map<std::string, FirstUse> request_ids;
  std::size_t mutating = 0;
  for (std::size_t i = 0; i < ex.size(); ++i) {
    const har::Exchange& e = ex[i];
    if (!IsCreate(e) && e.method != "PUT" && e.method != "DELETE" && e.method != "PATCH") {
      continue;
    }
    ++mutating;
    const std::string rid = Header(e.request_headers, "Mailbox-Request-ID");
    if (!IsUuid(rid)) {
      col.Fail("request-id-fresh", "REPLAY-11",
               ExchangeName(i, e) + ", header Mailbox-Request-ID: " +
                   (rid.empty() ? std::string("absent") : "\"" + Redact(rid) + "\"") +
                   " is not a UUID",
               "a UUID Request-ID on every mutating request", rid.empty() ? "absent" : rid);
      continue;
    }
    const std::string request = e.method + " " + Target(e.url) + "\n" +
                                Header(e.request_headers, "Mailbox-Device-Claim") + "\n" +
                                e.request_body;
    auto [it, fresh] = request_ids.emplace(Lower(rid), FirstUse{i, request});
    if (!fresh && it->second.request != request) {
      col.Fail("request-id-fresh", "REPLAY-11",
               ExchangeName(i, e) + ", header Mailbox-Request-ID: " + rid +
                   " was already sent on " +
                   ExchangeName(it->second.exchange, ex[it->second.exchange]) +
                   ", a different request (not a retry)",
               "a fresh Request-ID for every new request", "a Request-ID reused");
    }
  }
  col.PassIfClean("request-id-fresh", "REPLAY-11", mutating > 0,
                  std::to_string(mutating) +
                      " mutating request(s): " + std::to_string(request_ids.size()) +
                      " distinct UUID Request-IDs, repeated only by retries",
                  "a fresh UUID Request-ID for every new request");

  std::set<std::string> distinct;
  for (const auto& [id, i] : created_ids) {
    if (!IsUuidV4(id) || LooksSequential(id)) {
      col.Fail("mailbox-ids-random", "RELAY-04",
               ExchangeName(i, ex[i]) + ", response urlLink: the mailbox id " + id +
                   (IsUuidV4(id) ? " has a run of 8 or more equal digits (not 122 random bits)"
                                 : " is not a version-4 UUID"),
               "a random version-4 UUID", id);
    } else if (!distinct.insert(id).second) {
      col.Fail("mailbox-ids-random", "RELAY-04",
               ExchangeName(i, ex[i]) + ": the mailbox id " + id + " was handed out twice",
               "distinct mailbox ids", id + " twice");
    }
  }
  col.PassIfClean("mailbox-ids-random", "RELAY-04", !created_ids.empty(),
                  std::to_string(created_ids.size()) +
                      " created mailbox id(s): distinct version-4 UUIDs with no long digit runs",
                  "random version-4 UUIDs");

  const auto quality = SecretQualityFindings(ShareSecrets(in));
  out.insert(out.end(), quality.begin(), quality.end());
  return out;
}

std::vector<ShareSecret> ShareSecrets(const OracleInput& in) {
  std::vector<ShareSecret> out;
  if (in.transcript == nullptr || in.secrets.empty()) {
    return out;
  }
  std::set<std::string> boxes;
  const auto& ex = in.transcript->exchanges;
  for (std::size_t i = 0; i < ex.size(); ++i) {
    const har::Exchange& e = ex[i];
    if (!IsCreate(e) || e.status < 200 || e.status >= 300) {
      continue;
    }
    const std::string box = MailboxOf(e);
    if (box.empty() || box == "m" || !boxes.insert(box).second) {
      continue;  // no urlLink, or a retried create answered with its mailbox
    }
    Json b = Json::parse(e.request_body, nullptr, false);
    if (b.is_discarded()) {
      continue;
    }
    if (auto k = OpeningSecret(in.secrets, b)) {
      out.push_back({in.secrets[*k], "the Secret of mailbox " + box.substr(0, 8) +
                                         "… (created at exchange #" + std::to_string(i + 1) + ")"});
    }
  }
  return out;
}

namespace {

constexpr std::size_t kMinSecretOctets = 16;
constexpr double kBalanceSigmas = 5.0;
// The expected number of chance matches a rule may have over one list of
// random keys.
const double kChanceBudget = std::ldexp(1.0, -16);

std::string Sci(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1e", x);
  return buf;
}

std::string Fixed(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", x);
  return buf;
}

// The chance that a random key of `n` octets holds a run of `len` equal
// octets somewhere (union bound).
double RunChance(std::size_t n, std::size_t len) {
  return n < len
             ? 0.0
             : static_cast<double>(n - len + 1) * std::ldexp(1.0, -8 * (static_cast<int>(len) - 1));
}

// The chance that two random keys, the shorter of `n` octets, hold the same
// `len` octets at one offset (union bound).
double SharedChance(std::size_t n, std::size_t len) {
  return n < len ? 0.0
                 : static_cast<double>(n - len + 1) * std::ldexp(1.0, -8 * static_cast<int>(len));
}

// The least length from 4 on at which `expected(len)` is within the budget.
std::size_t LeastLength(const std::function<double(std::size_t)>& expected) {
  std::size_t len = 4;
  while (len < 64 && expected(len) > kChanceBudget) {
    ++len;
  }
  return len;
}

// The longest stretch of offsets `i` below `n` where `same(i)` holds: its
// first offset and its length.
std::pair<std::size_t, std::size_t> LongestStretch(std::size_t n,
                                                   const std::function<bool(std::size_t)>& same) {
  std::pair<std::size_t, std::size_t> best{0, 0};
  std::size_t start = 0;
  for (std::size_t i = 0; i <= n; ++i) {
    if (i < n && same(i)) {
      continue;
    }
    if (i - start > best.second) {
      best = {start, i - start};
    }
    start = i + 1;
  }
  return best;
}

// The longest run of equal octets in `a`.
std::pair<std::size_t, std::size_t> LongestRun(ByteView a) {
  if (a.empty()) {
    return {0, 0};
  }
  // Offset i > 0 continues the run when it equals the octet before it.
  auto [at, len] = LongestStretch(a.size() - 1, [&](std::size_t i) { return a[i + 1] == a[i]; });
  return {at, len + 1};
}

// The longest stretch of offsets at which `a` and `b` hold the same octets.
std::pair<std::size_t, std::size_t> LongestAgreement(ByteView a, ByteView b) {
  return LongestStretch(std::min(a.size(), b.size()), [&](std::size_t i) { return a[i] == b[i]; });
}

std::string Octets(std::size_t n) { return std::to_string(n) + (n == 1 ? " octet" : " octets"); }

}  // namespace

std::vector<Finding> SecretQualityFindings(std::span<const Bytes> secrets) {
  std::vector<ShareSecret> named;
  named.reserve(secrets.size());
  for (std::size_t i = 0; i < secrets.size(); ++i) {
    named.push_back({secrets[i], "Secret #" + std::to_string(i + 1)});
  }
  return SecretQualityFindings(std::span<const ShareSecret>(named));
}

std::vector<Finding> SecretQualityFindings(std::span<const ShareSecret> shares) {
  static const std::string kCheck = "secret-quality";
  static const std::string kReq = "PAYLOAD-15";
  static const std::string kExpected = "a fresh key of at least 128 bits from a strong RNG";
  std::vector<Finding> out;
  if (shares.empty()) {
    return out;
  }
  std::map<std::string, std::size_t> failures;  // rule -> violations found
  auto fail = [&](const std::string& rule, const std::string& message, std::string actual) {
    if (++failures[rule] <= kMaxFindingsPerCheck) {
      out.push_back(
          {kCheck, kReq, false, "rule " + rule + ": " + message, kExpected, std::move(actual)});
    }
  };

  // identical; the other rules look at each distinct Secret once.
  std::map<Bytes, std::size_t> first;
  std::vector<std::size_t> distinct;
  for (std::size_t i = 0; i < shares.size(); ++i) {
    auto [it, fresh] = first.emplace(shares[i].secret, i);
    if (fresh) {
      distinct.push_back(i);
    } else {
      fail("identical",
           shares[i].label + " equals " + shares[it->second].label + ": one Secret of " +
               Octets(shares[i].secret.size()) + " for two shares",
           "one Secret on two shares");
    }
  }

  std::size_t shortest = std::numeric_limits<std::size_t>::max();
  std::size_t longest = 0;
  for (std::size_t i : distinct) {
    const std::size_t n = shares[i].secret.size();
    shortest = std::min(shortest, n);
    longest = std::max(longest, n);
    if (n < kMinSecretOctets) {
      fail("short",
           shares[i].label + " has " + Octets(n) + " (" + std::to_string(8 * n) +
               " bits), fewer than 16 (128 bits)",
           Octets(n));
    }
  }

  const std::size_t run = LeastLength([&](std::size_t len) {
    double sum = 0;
    for (std::size_t i : distinct) sum += RunChance(shares[i].secret.size(), len);
    return sum;
  });
  for (std::size_t i : distinct) {
    const ByteView s = shares[i].secret;
    if (auto [at, len] = LongestRun(s); len >= run) {
      fail("repeated-octets",
           shares[i].label + " holds a run of " + std::to_string(len) + " equal octets at offset " +
               std::to_string(at) + " of its " + Octets(s.size()) +
               " (chance for a random key about " + Sci(RunChance(s.size(), len)) + ")",
           "a run of " + std::to_string(len) + " equal octets");
    }
  }

  const std::size_t sub = LeastLength([&](std::size_t len) {
    double sum = 0;
    for (std::size_t x = 0; x < distinct.size(); ++x) {
      for (std::size_t y = x + 1; y < distinct.size(); ++y) {
        sum += SharedChance(
            std::min(shares[distinct[x]].secret.size(), shares[distinct[y]].secret.size()), len);
      }
    }
    return sum;
  });
  for (std::size_t x = 0; x < distinct.size(); ++x) {
    for (std::size_t y = x + 1; y < distinct.size(); ++y) {
      const ByteView a = shares[distinct[x]].secret;
      const ByteView b = shares[distinct[y]].secret;
      if (auto [at, len] = LongestAgreement(a, b); len >= sub) {
        fail("shared-substring",
             shares[distinct[x]].label + " and " + shares[distinct[y]].label + " hold the same " +
                 Octets(len) + " at offset " + std::to_string(at) +
                 " (chance for random keys about " +
                 Sci(SharedChance(std::min(a.size(), b.size()), len)) + ")",
             "the same " + Octets(len) + " at one offset in two Secrets");
      }
    }
  }

  std::size_t bits = 0;
  std::size_t ones = 0;
  for (std::size_t i : distinct) {
    bits += 8 * shares[i].secret.size();
    for (std::uint8_t o : shares[i].secret) ones += static_cast<std::size_t>(std::popcount(o));
  }
  const bool balance_checked = bits >= 8 * kMinSecretOctets;
  const double deviation = static_cast<double>(ones) - static_cast<double>(bits) / 2;
  const double limit = kBalanceSigmas * std::sqrt(static_cast<double>(bits)) / 2;
  if (balance_checked && std::abs(deviation) > limit) {
    fail("bit-balance",
         std::to_string(ones) + " one bits in the " + std::to_string(bits) + " bits of " +
             std::to_string(distinct.size()) +
             " distinct Secret(s): " + Fixed(std::abs(deviation)) +
             " from half, more than 5 standard deviations (" + Fixed(limit) + ")",
         std::to_string(ones) + " of " + std::to_string(bits) + " bits set");
  }

  if (failures.empty()) {
    std::string msg = std::to_string(shares.size()) + " Secret(s) of " +
                      (shortest == longest ? Octets(shortest)
                                           : std::to_string(shortest) + " to " + Octets(longest)) +
                      ": none shorter than 16 octets, none on two shares, no run of " +
                      std::to_string(run) + " equal octets";
    if (distinct.size() > 1) {
      msg += ", no " + std::to_string(sub) + " octets shared at one offset";
    }
    msg += balance_checked
               ? ", " + std::to_string(ones) + " of " + std::to_string(bits) +
                     " bits set (within 5 standard deviations of half)"
               : ", bit balance not computed (" + std::to_string(bits) + " bits, fewer than 128)";
    out.push_back({kCheck, kReq, true, msg, kExpected, kExpected});
  }
  return out;
}

std::vector<Finding> IvLedger::Add(const std::string& case_id, const OracleInput& in) {
  std::vector<Finding> out;
  if (in.transcript == nullptr) {
    return out;
  }
  std::size_t examined = 0;
  std::size_t reused = 0;
  const auto& ex = in.transcript->exchanges;
  for (std::size_t i = 0; i < ex.size(); ++i) {
    const har::Exchange& e = ex[i];
    Json b = Json::parse(e.request_body, nullptr, false);
    if (b.is_discarded()) {
      continue;
    }
    const std::string data = PayloadData(b);
    auto raw = Base64DecodeLenient(data);
    if (data.empty() || !raw || raw->size() < kMinDataLength) {
      continue;
    }
    if (Json pt = Json::parse(raw->begin(), raw->end(), nullptr, false);
        !pt.is_discarded() && (pt.is_object() || pt.is_array())) {
      continue;  // not a ciphertext at all: plaintext-never-sent reports it
    }
    const auto opener = OpeningSecret(in.secrets, b);
    const std::string key = opener ? "secret:" + HexEncode(in.secrets[*opener])
                                   : "mailbox:" + case_id + ":" + LastSegment(PathOnly(e.url));
    const std::string iv = HexEncode(ByteView(raw->data(), kIvLength));
    ++examined;
    auto [it, fresh] = seen_.emplace(key + "/" + iv, Seen{case_id, i, data});
    if (fresh || it->second.data == data) {
      continue;  // first use, or the same message sent again
    }
    if (++reused > kMaxFindingsPerCheck) {
      continue;
    }
    const std::string earlier = it->second.case_id == case_id
                                    ? "exchange #" + std::to_string(it->second.exchange + 1)
                                    : "exchange #" + std::to_string(it->second.exchange + 1) +
                                          " of case " + it->second.case_id;
    out.push_back({"iv-unique", "PAYLOAD-04", false,
                   ExchangeName(i, e) + ", body payload.data: IV " + iv.substr(0, 8) +
                       "… under the same key was already used by " + earlier,
                   "a fresh random 96-bit IV for every encryption", "IV reused under one key"});
  }
  if (examined > 0 && reused == 0) {
    out.push_back(
        {"iv-unique", "PAYLOAD-04", true,
         std::to_string(examined) + " payload write(s): every (key, IV) pair is new in the run",
         "a fresh random 96-bit IV for every encryption",
         "a fresh random 96-bit IV for every encryption"});
  }
  return out;
}

}  // namespace tigress::harness
