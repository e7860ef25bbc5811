// File: harness/scenario/request_id_retry.cc
#include "harness/scenario/request_id_retry.h"

#include <map>
#include <string>

#include "harness/oracles/oracle_context.h"
#include "protocol/text.h"

namespace tigress::harness {
namespace {

constexpr char kCheck[] = "request-id-retried";

std::size_t CountAsked(std::span<const Step> steps, Role role) {
  std::size_t n = 0;
  for (const Step& st : steps) {
    if (st.kind() == Step::Kind::kParallel) {
      n += CountAsked(st.Inner(), role);
      continue;
    }
    if (st.kind() != Step::Kind::kCall) continue;
    const CallAction& call = st.As<CallAction>();
    const auto flag = call.params.find("requestIdRetry");
    if (call.role == role && flag != call.params.end() && *flag == true) ++n;
  }
  return n;
}

Finding Judged(const char* req, bool ok, std::string message, std::string expected,
               std::string actual) {
  return Finding{kCheck, req, ok, std::move(message), std::move(expected), std::move(actual)};
}

std::string UrlLinkOf(const std::string& body) {
  const Json j = Json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("urlLink") || !j.at("urlLink").is_string()) return {};
  return j.at("urlLink").get<std::string>();
}

// The relay's side of one resend `r` of `first`: REPLAY-02 or REPLAY-03, and
// REPLAY-12 for a create answered 201 with a body.
void JudgeRelayAnswer(const ExchangeFacts& first, const ExchangeFacts& r,
                      std::vector<Finding>& out) {
  const bool update = r.exchange->method == "PUT";
  if (!r.is_create && !update) return;
  const int status = r.exchange->status;
  out.push_back(Judged(r.is_create ? "REPLAY-02" : "REPLAY-03", status == 201,
                       r.name + " resends " + first.name + " with its Mailbox-Request-ID: the " +
                           "relay answered " + std::to_string(status),
                       "201 to the resend", std::to_string(status)));
  if (!r.is_create || status != 201 || r.exchange->response_body.empty()) return;
  const std::string again = UrlLinkOf(r.exchange->response_body);
  const bool same = !again.empty() && again == UrlLinkOf(first.exchange->response_body);
  out.push_back(Judged("REPLAY-12", same,
                       r.name + ": the 201 to the resent create " +
                           (same ? "carries the first answer's urlLink"
                                 : "has a body without the first answer's urlLink"),
                       "the first answer's urlLink", same ? "the same urlLink" : "another body"));
}

// The device's side of one resend `r` (exchange `i`) of `first`.
void JudgeResend(const OracleContext& ctx, const ExchangeFacts& first, std::size_t i,
                 std::vector<Finding>& out) {
  const ExchangeFacts& r = ctx.ex[i];
  const bool same_body = r.exchange->request_body == first.exchange->request_body;
  const bool went_on = i + 1 < ctx.ex.size();
  const std::string message = r.name + " resends " + first.name +
                              " with its Mailbox-Request-ID and " +
                              (same_body ? "the same body" : "another body") + "; " +
                              (went_on ? "the case went on (" + ctx.ex[i + 1].name + ")"
                                       : "no request reached the relay after it");
  const std::string actual = std::string(same_body ? "same body" : "another body") + ", " +
                             (went_on ? "went on" : "nothing after it");
  const char* device_req = r.sender == Sender::kInitiator ? "INIT-07" : "RECIP-11";
  for (const char* req : {device_req, "REPLAY-09"}) {
    out.push_back(Judged(req, same_body && went_on, message,
                         "the identical request, then the case goes on", actual));
  }
}

void JudgeCount(const char* device, const char* req, std::size_t asked, std::size_t seen,
                std::vector<Finding>& out) {
  if (seen >= asked) return;
  for (const char* r : {req, "REPLAY-09"}) {
    out.push_back(Judged(
        r, false,
        std::string("the scenario asked ") + device + " for " + std::to_string(asked) +
            " resend(s) (requestIdRetry) and the relay " + "saw " + std::to_string(seen) +
            ": no request of it came twice with one Mailbox-Request-ID",
        std::to_string(asked) + " resent request(s)", std::to_string(seen) + " resent request(s)"));
  }
}

}  // namespace

std::size_t RequestIdRetriesAsked(const Scenario& sc, Role role) {
  return CountAsked(sc.steps, role);
}

std::vector<Finding> RequestIdRetryFindings(const OracleInput& in, const RetriesAsked& asked) {
  std::vector<Finding> out;
  if (in.transcript == nullptr || asked.initiator + asked.recipient == 0) return out;
  const OracleContext ctx = BuildOracleContext(in);
  std::map<std::string, std::size_t> first_of;  // request key -> first exchange
  std::map<std::string, bool> resent;
  std::size_t seen_initiator = 0;
  std::size_t seen_recipient = 0;
  for (std::size_t i = 0; i < ctx.ex.size(); ++i) {
    const ExchangeFacts& f = ctx.ex[i];
    if (f.request_id.empty()) continue;
    const std::string key = f.exchange->method + " " + f.target + "\n" + f.claim + "\n" +
                            text::ToLowerAscii(f.request_id);
    const auto [it, fresh] = first_of.emplace(key, i);
    if (fresh || resent[key]) continue;
    resent[key] = true;
    ++(f.sender == Sender::kInitiator ? seen_initiator : seen_recipient);
    JudgeRelayAnswer(ctx.ex[it->second], f, out);
    JudgeResend(ctx, ctx.ex[it->second], i, out);
  }
  JudgeCount("the initiator", "INIT-07", asked.initiator, seen_initiator, out);
  JudgeCount("the recipient", "RECIP-11", asked.recipient, seen_recipient, out);
  return out;
}

std::vector<reports::Assertion> JudgeRequestIdRetry(const reports::Catalog& catalog,
                                                    const Scenario& sc, const OracleInput& in) {
  const RetriesAsked asked{RequestIdRetriesAsked(sc, Role::kInitiator),
                           RequestIdRetriesAsked(sc, Role::kRecipient)};
  std::vector<reports::Assertion> out;
  for (const Finding& f : RequestIdRetryFindings(in, asked)) {
    const bool device_side =
        f.requirement == "INIT-07" || f.requirement == "RECIP-11" || f.requirement == "REPLAY-09";
    std::string message = "oracle " + f.check + ": " + f.message;
    if (!f.ok && device_side) {
      message += " (the device declares request-id-retry: FAIL whatever the level)";
    }
    reports::Assertion a =
        catalog.Judge(f.requirement, f.ok, std::move(message), f.expected, f.actual);
    if (!f.ok && device_side) a.verdict = reports::Worst(a.verdict, reports::Verdict::kFail);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace tigress::harness
