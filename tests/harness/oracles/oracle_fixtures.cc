// File: tests/harness/oracles/oracle_fixtures.cc
#include "tests/harness/oracles/oracle_fixtures.h"

#include <functional>
#include <stdexcept>

#include "protocol/payload.h"

namespace tigress::harness::testing {

har::Exchange Create(const std::string& claim, const std::string& data, const std::string& box) {
  har::Exchange e;
  e.method = "POST";
  e.url = "https://localhost:1/v1/m";
  e.started_ms = 1'795'000'000'000;  // 2026-11-19, before the expiration below
  e.request_headers = {{"Mailbox-Device-Claim", claim},
                       {"Mailbox-Request-ID", "a" + box.substr(1)},
                       {"Content-Type", "application/json"}};
  e.request_body =
      R"({"payload":{"type":"AEAD_AES_128_GCM","data":")" + data +
      R"("},"displayInformation":{"title":"Car key","description":"Front door","imageURL":"https://example.com/c.png"},)"
      R"("mailboxConfiguration":{"accessRights":"RWD","expiration":"2026-11-30T12:00:00Z"}})";
  e.status = 200;
  e.response_body = R"({"urlLink":"https://localhost:1/v1/m/)" + box + R"("})";
  return e;
}

har::Exchange Read(const std::string& claim, const std::string& target) {
  har::Exchange e;
  e.method = "POST";
  e.url = "https://localhost:1" + target;
  e.request_headers = {{"Mailbox-Device-Claim", claim}};
  e.status = 200;
  return e;
}

std::string Sealed(const std::string& iv_hex, const std::string& text, const Bytes& key) {
  return SealData(Cipher::kAes128Gcm, key, HexDecode(iv_hex).value(), ToBytes(text)).value();
}

void AddMember(har::Exchange& e, const std::string& member) {
  std::string& body = e.request_body;
  if (body.empty()) {
    body = "{" + member + "}";
  } else {
    body.insert(body.size() - 1, "," + member);
  }
}

namespace {

std::vector<Finding> Filter(const std::vector<Finding>& all, bool ok) {
  std::vector<Finding> out;
  for (const auto& f : all) {
    if (f.ok == ok) out.push_back(f);
  }
  return out;
}

std::string Token(const std::string& url) {
  return R"("notificationToken":{"type":"webhook","tokenData":")" + url + "\"}";
}

void SetHeader(har::Exchange& e, const std::string& name, const std::string& value) {
  for (auto& [k, v] : e.request_headers) {
    if (k == name) {
      v = value;
      return;
    }
  }
  e.request_headers.emplace_back(name, value);
}

// Exchanges of CleanCase: the two creates, then the recipient's read.
constexpr std::size_t kCreate1 = 0;
constexpr std::size_t kCreate2 = 1;
constexpr std::size_t kRead = 2;

OracleCase Tripped(const std::string& name, const std::function<void(OracleCase&)>& change) {
  OracleCase c = CleanCase();
  c.name = name;
  change(c);
  return c;
}

}  // namespace

std::vector<Finding> Failures(const std::vector<Finding>& all) { return Filter(all, false); }

std::vector<Finding> Passes(const std::vector<Finding>& all) { return Filter(all, true); }

std::set<std::string> FailedIds(const std::vector<Finding>& all) {
  std::set<std::string> ids;
  for (const auto& f : Failures(all)) ids.insert(f.requirement);
  return ids;
}

OracleCase CleanCase() {
  OracleCase c;
  c.name = "clean";
  har::Exchange first = Create(kClaimA, Sealed("000102030405060708090a0b"), kBox);
  har::Exchange second =
      Create(kClaimC, Sealed("0c0b0a090807060504030201", "{}", kSecret2), kOtherBox);
  har::Exchange read = Read(kClaimB);
  AddMember(first, Token("https://p/a1"));
  AddMember(second, Token("https://p/a2"));
  AddMember(read, Token("https://p/b1"));
  first.request_headers.emplace_back("Mailbox-Device-Attestation", "opaque.AAAA");
  second.request_headers.emplace_back("Mailbox-Device-Attestation", "opaque.BBBB");
  c.transcript.exchanges = {first, second, read};
  c.base.secrets = {kSecret, kSecret2};
  c.base.fragments = {Base64UrlEncode(kSecret, false)};
  c.base.canaries = {kCanary};
  c.base.personal_data = {"Alice Example"};
  c.base.relay_stderr = "relay: listening\n";
  return c;
}

std::vector<TrippingCase> TrippingCases() {
  auto ex = [](OracleCase& c) -> std::vector<har::Exchange>& { return c.transcript.exchanges; };
  // clang-format off
  return {
    {Tripped("request-leaks", [&](OracleCase& c) {
       ex(c)[kRead].url += "#" + Base64UrlEncode(kSecret, false);
       ex(c)[kCreate2].request_headers.emplace_back("X-Debug", Base64Encode(kSecret));
       ex(c)[kCreate1].request_headers.emplace_back("X-Note", kCanary);
     }), {"PRIV-01", "RECIP-01", "PRIV-02"}},
    {Tripped("claims-v4", [&](OracleCase& c) {
       SetHeader(ex(c)[kRead], "Mailbox-Device-Claim", "2bba630e-519b-11ec-bf63-0242ac130002");
     }), {"PRIV-06"}},
    {Tripped("initiator-claim-fresh", [&](OracleCase& c) {
       SetHeader(ex(c)[kCreate2], "Mailbox-Device-Claim", kClaimA);
     }), {"INIT-01"}},
    {Tripped("recipient-claim-fresh", [&](OracleCase& c) {
       ex(c).push_back(Read(kClaimB, "/v1/m/" + kOtherBox));
     }), {"RECIP-03"}},
    {Tripped("initiator-sends-no-secret", [&](OracleCase& c) {
       ex(c)[kCreate1].request_headers.emplace_back("X-Key", HexEncode(kSecret));
     }), {"INIT-13"}},
    {Tripped("recipient-strips-fragment", [&](OracleCase& c) {
       ex(c)[kRead].url += "?f=" + Base64UrlEncode(kSecret, false);
     }), {"URL-08"}},
    {Tripped("recipient-sends-no-secret", [&](OracleCase& c) {
       ex(c)[kRead].request_headers.emplace_back("X-Note", kCanary);
     }), {"RECIP-02"}},
    {Tripped("token-fresh", [&](OracleCase& c) {
       const std::string& second = ex(c)[kCreate2].request_body;
       ex(c)[kCreate2].request_body.replace(second.find("https://p/a2"), 12, "https://p/a1");
       har::Exchange other = Read(kClaimD, "/v1/m/" + kOtherBox);
       AddMember(other, Token("https://p/b1"));
       ex(c).push_back(other);
     }), {"PRIV-07", "INIT-14", "RECIP-16"}},
    {Tripped("no-cookies", [&](OracleCase& c) {
       ex(c)[kRead].request_headers.emplace_back("Cookie", "sid=1234");
       ex(c)[kCreate1].response_headers.emplace_back("Set-Cookie", "sid=5678");
     }), {"PRIV-05", "PRIV-04"}},
    {Tripped("display-not-identifying", [&](OracleCase& c) {
       std::string& body = ex(c)[kCreate1].request_body;
       body.replace(body.find("Front door"), 10, "Call +1-202-555-0143");
     }), {"PRIV-09", "INIT-14"}},
    {Tripped("attestation-fresh", [&](OracleCase& c) {
       SetHeader(ex(c)[kCreate2], "Mailbox-Device-Attestation", "opaque.AAAA");
     }), {"PRIV-08", "INIT-14"}},
    {Tripped("create-well-formed", [&](OracleCase& c) {
       SetHeader(ex(c)[kCreate1], "Content-Type", "text/plain");
       std::string& body = ex(c)[kCreate2].request_body;
       body.replace(body.find("2026-11-30T12:00:00Z"), 20, "2026-11-30T12:00:00+00:00");
     }), {"INIT-02", "INIT-04"}},
    {Tripped("request-id-fresh", [&](OracleCase& c) {
       SetHeader(ex(c)[kCreate2], "Mailbox-Request-ID", "req-7");
     }), {"REPLAY-11"}},
    {Tripped("mailbox-ids-random", [&](OracleCase& c) {
       ex(c)[kCreate2].response_body =
           R"({"urlLink":"https://localhost:1/v1/m/00000000-0000-4000-8000-000000000001"})";
     }), {"RELAY-04"}},
    {Tripped("secret-quality", [&](OracleCase& c) {
       std::string& body = ex(c)[kCreate2].request_body;
       const std::string old = Sealed("0c0b0a090807060504030201", "{}", kSecret2);
       body.replace(body.find(old), old.size(), Sealed("0c0b0a090807060504030201", "{}"));
     }), {"PAYLOAD-15"}},
  };
  // clang-format on
}

std::vector<Finding> RunEntry(std::string_view id, const OracleInput& in) {
  for (const OracleCheck& check : OracleTable()) {
    if (check.id == id) {
      const OracleContext ctx = BuildOracleContext(in);
      Findings out;
      check.run(ctx, out);
      return out.Take();
    }
  }
  throw std::invalid_argument("no oracle table entry " + std::string(id));
}

}  // namespace tigress::harness::testing
