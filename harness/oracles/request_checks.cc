// File: harness/oracles/request_checks.cc
#include <chrono>
#include <regex>

#include "harness/oracles/oracle_checks.h"
#include "protocol/rfc3339.h"
#include "protocol/text.h"
#include "protocol/uuid.h"

namespace tigress::harness {
namespace {

const std::string kCreateExpected =
    "claim and Request-ID headers, JSON content type, payload, displayInformation "
    "and mailboxConfiguration.expiration";

// What INIT-02 requires of a create and `f` lacks or mistypes ("header
// Mailbox-Request-ID", "displayInformation.title (a string)").
std::vector<std::string> MissingCreateParts(const ExchangeFacts& f) {
  std::vector<std::string> missing;
  const har::Headers& h = f.exchange->request_headers;
  for (const char* name : {"Mailbox-Device-Claim", "Mailbox-Request-ID"}) {
    if (text::FindHeader(h, name).value_or("").empty()) {
      missing.push_back(std::string("header ") + name);
    }
  }
  const std::string type = text::ToLowerAscii(text::FindHeader(h, "Content-Type").value_or(""));
  if (type.substr(0, type.find(';')) != "application/json") {
    missing.push_back("header Content-Type: application/json");
  }
  const Json& b = f.body;
  if (b.is_discarded() || !b.is_object()) {
    missing.push_back("a JSON object body");
    return missing;
  }
  const std::pair<const char*, std::vector<const char*>> kFields[] = {
      {"payload", {"type", "data"}},
      {"displayInformation", {"title", "description", "imageURL"}},
      {"mailboxConfiguration", {"expiration"}}};
  for (const auto& [object, members] : kFields) {
    if (!b.contains(object) || !b.at(object).is_object()) {
      missing.push_back(std::string(object) + " (an object)");
      continue;
    }
    for (const char* m : members) {
      if (!b.at(object).contains(m) || !b.at(object).at(m).is_string()) {
        missing.push_back(std::string(object) + "." + m + " (a string)");
      }
    }
  }
  return missing;
}

// The create's mailboxConfiguration.expiration when it is a string.
std::optional<std::string> ExpirationOf(const Json& b) {
  if (b.is_discarded() || !b.is_object() || !b.contains("mailboxConfiguration") ||
      !b.at("mailboxConfiguration").is_object() ||
      !b.at("mailboxConfiguration").contains("expiration") ||
      !b.at("mailboxConfiguration").at("expiration").is_string()) {
    return std::nullopt;
  }
  return b.at("mailboxConfiguration").at("expiration").get<std::string>();
}

void CheckExpiration(const ExchangeFacts& f, const std::string& when, Findings& out) {
  static const std::regex kUtc(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
  auto parsed = ParseRfc3339(when);
  if (!std::regex_match(when, kUtc)) {
    out.Fail("expiration-utc", "INIT-04",
             f.name + ", body mailboxConfiguration.expiration: \"" + when +
                 "\" is not UTC in the form YYYY-MM-DDThh:mm:ssZ",
             "YYYY-MM-DDThh:mm:ssZ", when);
  } else if (parsed &&
             std::chrono::duration_cast<std::chrono::milliseconds>(parsed->time_since_epoch())
                     .count() <= f.exchange->started_ms) {
    out.Fail("expiration-utc", "INIT-04",
             f.name + ", body mailboxConfiguration.expiration: " + when +
                 " is not in the future when the create is sent",
             "an expiration after the create", when);
  }
}

bool IsMutating(const ExchangeFacts& f) {
  const std::string& m = f.exchange->method;
  return f.is_create || m == "PUT" || m == "DELETE" || m == "PATCH";
}

}  // namespace

void CheckCreateWellFormed(const OracleContext& ctx, Findings& out) {
  // One pass over the creates reports both checks, each create's findings
  // together.
  std::size_t creates = 0;
  std::size_t expirations = 0;
  for (const ExchangeFacts& f : ctx.ex) {
    if (!f.is_create) {
      continue;
    }
    ++creates;
    if (auto missing = MissingCreateParts(f); !missing.empty()) {
      std::string list;
      for (const auto& m : missing) {
        list += (list.empty() ? "" : ", ") + m;
      }
      out.Fail("create-well-formed", "INIT-02", f.name + ": the create lacks " + list,
               kCreateExpected, "missing: " + list);
    }
    if (auto when = ExpirationOf(f.body)) {
      ++expirations;
      CheckExpiration(f, *when, out);
    }
  }
  out.PassIfClean("create-well-formed", "INIT-02", creates > 0,
                  std::to_string(creates) +
                      " create(s) carry claim, Request-ID, JSON content type and every "
                      "required member",
                  kCreateExpected);
  out.PassIfClean("expiration-utc", "INIT-04", expirations > 0,
                  std::to_string(expirations) +
                      " create expiration(s) are UTC YYYY-MM-DDThh:mm:ssZ and in the future",
                  "YYYY-MM-DDThh:mm:ssZ, in the future");
}

void CheckRequestIdFresh(const OracleContext& ctx, Findings& out) {
  // A value may come back only on a retry: the same method, target, claim
  // and body.
  struct FirstUse {
    std::size_t exchange;
    std::string request;
  };
  std::map<std::string, FirstUse> request_ids;
  std::size_t mutating = 0;
  for (std::size_t i = 0; i < ctx.ex.size(); ++i) {
    const ExchangeFacts& f = ctx.ex[i];
    if (!IsMutating(f)) {
      continue;
    }
    ++mutating;
    const std::string& rid = f.request_id;
    if (!IsUuid(rid)) {
      out.Fail("request-id-fresh", "REPLAY-11",
               f.name + ", header Mailbox-Request-ID: " +
                   (rid.empty() ? std::string("absent") : "\"" + Redact(rid) + "\"") +
                   " is not a UUID",
               "a UUID Request-ID on every mutating request", rid.empty() ? "absent" : rid);
      continue;
    }
    const std::string request =
        f.exchange->method + " " + f.target + "\n" + f.claim + "\n" + f.exchange->request_body;
    auto [it, fresh] = request_ids.emplace(text::ToLowerAscii(rid), FirstUse{i, request});
    if (!fresh && it->second.request != request) {
      out.Fail("request-id-fresh", "REPLAY-11",
               f.name + ", header Mailbox-Request-ID: " + rid + " was already sent on " +
                   ctx.ex[it->second.exchange].name + ", a different request (not a retry)",
               "a fresh Request-ID for every new request", "a Request-ID reused");
    }
  }
  out.PassIfClean("request-id-fresh", "REPLAY-11", mutating > 0,
                  std::to_string(mutating) +
                      " mutating request(s): " + std::to_string(request_ids.size()) +
                      " distinct UUID Request-IDs, repeated only by retries",
                  "a fresh UUID Request-ID for every new request");
}

}  // namespace tigress::harness
