#include "harness/run/step_verdicts.h"

#include <algorithm>
#include <map>
#include <set>

namespace tigress::harness {

using reports::Assertion;
using reports::Verdict;

bool ExpectsRefusal(const Step& st) {
  return std::any_of(st.expect.begin(), st.expect.end(), [](const Expectation& e) {
    if (e.subject == Expectation::Subject::kError) {
      return true;
    }
    return e.subject == Expectation::Subject::kStatus && !e.codes.empty() &&
           std::all_of(e.codes.begin(), e.codes.end(), [](int c) { return c == 0 || c >= 400; });
  });
}

std::string_view MethodFeature(std::string_view method) {
  return method == "recipient.relinquish" ? "relinquish" : "";
}

std::string RelayOperationRequirement(std::string_view operation) {
  static const std::map<std::string_view, std::string> kByOperation = {
      {"CreateMailbox", "RELAY-01"},     {"ReadSecureContent", "RELAY-16"},
      {"UpdateMailbox", "RELAY-17"},     {"DeleteMailbox", "RELAY-22"},
      {"RelinquishMailbox", "RELAY-34"}, {"ReadDisplayInformation", "RELAY-26"},
  };
  auto it = kByOperation.find(operation);
  return it == kByOperation.end() ? std::string() : it->second;
}

std::vector<std::string> FailControl(std::vector<Assertion>& assertions, std::vector<bool>& refusal,
                                     std::size_t first) {
  for (std::size_t k = first; k < assertions.size(); ++k) {
    Assertion& a = assertions[k];
    if (a.verdict == Verdict::kWarn || a.verdict == Verdict::kInfo) {
      a.verdict = Verdict::kFail;
    }
    if (a.verdict != Verdict::kPass) {
      a.message = "positive control failed, the case's refusals are not evaluated: " + a.message;
    }
  }
  std::vector<std::string> removed;
  std::vector<Assertion> kept;
  std::vector<bool> kept_refusal;
  for (std::size_t k = 0; k < assertions.size(); ++k) {
    if (k < first && refusal[k]) {
      removed.push_back(assertions[k].requirement_id);
      continue;
    }
    kept.push_back(std::move(assertions[k]));
    kept_refusal.push_back(refusal[k]);
  }
  assertions = std::move(kept);
  refusal = std::move(kept_refusal);
  return removed;
}

std::vector<std::string> RequirementsChecked(std::span<const Step> steps) {
  std::vector<std::string> out;
  for (const Step& st : steps) {
    if (!st.req.empty()) {
      out.push_back(st.req);
    }
    for (const Expectation& e : st.expect) {
      out.push_back(e.req);
    }
    for (auto& inner : RequirementsChecked(st.Inner())) {
      out.push_back(std::move(inner));
    }
  }
  return out;
}

void NoteNotEvaluated(std::vector<reports::NotEvaluated>& not_evaluated,
                      const std::vector<Assertion>& assertions, const std::string& req,
                      const std::string& why) {
  if (req.empty()) {
    return;
  }
  const bool asserted = std::any_of(assertions.begin(), assertions.end(),
                                    [&](const Assertion& a) { return a.requirement_id == req; });
  const bool listed =
      std::any_of(not_evaluated.begin(), not_evaluated.end(),
                  [&](const reports::NotEvaluated& n) { return n.requirement_id == req; });
  if (!asserted && !listed) {
    not_evaluated.push_back({req, why});
  }
}

void ExcuseRelayRefusals(std::vector<Assertion>& assertions) {
  static const std::set<std::string> kDeviceRequestChecks = {"INIT-02",  "INIT-04",  "INIT-09",
                                                             "RECIP-10", "RECIP-01", "REPLAY-11"};
  std::string device_fault;
  for (const Assertion& a : assertions) {
    if (a.verdict == Verdict::kFail && kDeviceRequestChecks.contains(a.requirement_id)) {
      device_fault = a.requirement_id;
      break;
    }
  }
  if (device_fault.empty()) {
    return;
  }
  for (Assertion& a : assertions) {
    const bool relay_blame = std::any_of(
        a.evidence.fields.begin(), a.evidence.fields.end(),
        [](const auto& f) { return f.first == "blame" && f.second == "relay-refusal"; });
    if (relay_blame && a.verdict == Verdict::kFail) {
      a.verdict = Verdict::kInfo;
      a.message += " (not charged to the relay: the request broke " + device_fault + ")";
    }
  }
}

}  // namespace tigress::harness
