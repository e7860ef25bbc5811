#include "harness/run/diagnosis.h"

#include <algorithm>

namespace tigress::harness {

namespace {

bool Accepted(int status) { return status >= 200 && status < 300; }

// One line of a refusal: "400 {"error": ...}", cut so a diagnosis stays a line.
std::string Answer(const ProbeOutcome& o) {
  std::string body = o.body;
  std::replace(body.begin(), body.end(), '\n', ' ');
  std::replace(body.begin(), body.end(), '\r', ' ');
  constexpr std::size_t kMax = 80;
  if (body.size() > kMax) body = body.substr(0, kMax) + "...";
  return std::to_string(o.status) + (body.empty() ? "" : " " + body);
}

}  // namespace

std::optional<std::string> DiagnoseRelay(const std::string& name, Revision tested,
                                         const std::vector<ProbeOutcome>& outcomes) {
  const ProbeOutcome* own = nullptr;
  std::vector<const ProbeOutcome*> others_accepted;
  bool all_answered = !outcomes.empty();
  for (const ProbeOutcome& o : outcomes) {
    all_answered = all_answered && o.status != 0;
    if (o.revision == tested) {
      own = &o;
    } else if (Accepted(o.status)) {
      others_accepted.push_back(&o);
    }
  }
  if (own == nullptr || own->status == 0 || Accepted(own->status)) return std::nullopt;
  const RevisionInfo& t = RevisionOf(tested);
  if (!others_accepted.empty()) {
    const RevisionInfo& other = RevisionOf(others_accepted.front()->revision);
    return "relay '" + name + "' appears to implement " + std::string(other.name) +
           " (it refuses " + std::string(t.claim_header) + ": " + Answer(*own) +
           "); rerun with --spec " + std::string(other.name);
  }
  if (!all_answered) return std::nullopt;
  std::string line = "relay '" + name + "' refuses a create with the claim header of every "
                     "revision the harness knows (";
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    line += (i != 0 ? "; " : "") + std::string(RevisionOf(outcomes[i].revision).claim_header) +
            ": " + Answer(outcomes[i]);
  }
  return line + "): expect most cases to fail";
}

std::optional<std::string> DiagnoseDevice(
    const std::string& names, Revision tested,
    const std::vector<std::pair<Revision, std::string>>& spoken) {
  if (spoken.empty()) return std::nullopt;
  for (const auto& [revision, header] : spoken) {
    if (revision == tested) return std::nullopt;
  }
  const auto& [other, header] = spoken.front();
  const RevisionInfo& o = RevisionOf(other);
  return "device '" + names + "' appears to implement " + std::string(o.name) +
         " (its requests carry " + header + ", not " +
         std::string(RevisionOf(tested).claim_header) + "); rerun with --spec " +
         std::string(o.name);
}

bool Diagnosis::Add(const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  if (std::find(lines_.begin(), lines_.end(), line) != lines_.end()) return false;
  lines_.push_back(line);
  return true;
}

std::vector<std::string> Diagnosis::Lines() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lines_;
}

std::string RevisionProbeScenario() {
  std::string yaml =
      "id: diagnosis/revision-probe\n"
      "title: Which draft revision's claim header the relay accepts on a create\n"
      "description: One valid create per revision, each with that revision's claim header.\n"
      "requirements: [RELAY-01]\n"
      "keywords: [diagnosis]\n"
      "roles: [relay]\n"
      "steps:\n";
  for (const RevisionInfo& r : AllRevisions()) {
    yaml += "  - name: a create with " + std::string(r.claim_header) +
            " (" + std::string(r.name) + ")\n"
            "    http:\n"
            "      method: POST\n"
            "      path: /v1/m\n"
            "      literal_headers: true\n"
            "      headers: {" + std::string(r.claim_header) + ": \"${fresh_uuid}\", " +
            std::string(r.request_id_header) + ": \"${fresh_uuid}\"}\n"
            "      body:\n"
            "        payload: {type: AEAD_AES_128_GCM, data: \"${b64:60}\"}\n"
            "        displayInformation: {title: \"Car key\", description: \"Front door\", "
            "imageURL: \"https://example.com/car.png\"}\n"
            "        mailboxConfiguration: {accessRights: RWD, expiration: \"${time:+3600}\"}\n"
            "    expect:\n"
            "      - {req: RELAY-01, status: [200, 201]}\n";
  }
  return yaml;
}

std::vector<ProbeOutcome> ProbeOutcomes(const reports::CaseResult& probe) {
  std::vector<ProbeOutcome> out;
  for (const reports::Assertion& a : probe.assertions) {
    for (const reports::HttpExcerpt& x : a.evidence.http) {
      for (const auto& [name, value] : x.request_headers) {
        if (!IsAnyClaimHeader(name)) continue;
        const std::optional<Revision> r = ProtocolHeaderRevision(name);
        if (!r) continue;
        const bool seen = std::any_of(out.begin(), out.end(),
                                      [&](const ProbeOutcome& o) { return o.revision == *r; });
        if (!seen) out.push_back({*r, x.status, x.response_body});
      }
    }
  }
  return out;
}

}  // namespace tigress::harness
