#include "harness/run/oracle_inputs.h"

#include <utility>

#include "protocol/text.h"

namespace tigress::harness {

using Json = nlohmann::json;

OracleInputs::OracleInputs(std::function<void(const Bytes&)> add_secret)
    : add_secret_(std::move(add_secret)) {}

void OracleInputs::NoteSecrets(const Json& result) {
  if (!result.is_object()) {
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto keep = [&](const Bytes& b) {
    if (add_secret_) {
      add_secret_(b);
    }
    secrets_.push_back(b);
  };
  if (result.contains("secret") && result["secret"].is_string()) {
    if (auto b = Base64DecodeLenient(result["secret"].get<std::string>())) {
      keep(*b);
    }
  }
  for (const char* k : {"shareUrl", "url"}) {
    if (!result.contains(k) || !result[k].is_string()) {
      continue;
    }
    const std::string u = result[k].get<std::string>();
    if (auto hash = u.find('#'); hash != std::string::npos) {
      fragments_.push_back(u.substr(hash + 1));
      if (auto b = Base64DecodeLenient(u.substr(hash + 1))) {
        keep(*b);
      }
    }
  }
}

void OracleInputs::NoteCallParams(const Json& params) {
  std::function<void(const Json&, bool)> walk = [&](const Json& j, bool in_pi) {
    if (j.is_object()) {
      for (const auto& [k, v] : j.items()) {
        if (in_pi && k == "format") {
          continue;
        }
        if (k == "shareUrl" && v.is_string()) {
          const std::string u = v.get<std::string>();
          if (auto hash = u.find('#'); hash != std::string::npos) {
            std::lock_guard<std::mutex> lock(mu_);
            fragments_.push_back(u.substr(hash + 1));
            if (auto b = Base64DecodeLenient(text::PercentDecode(u.substr(hash + 1)))) {
              secrets_.push_back(*b);
            }
          }
        }
        walk(v, in_pi || k == "provisioningInfo");
      }
    } else if (j.is_array()) {
      for (const auto& v : j) {
        walk(v, in_pi);
      }
    } else if (in_pi && j.is_string() && j.get<std::string>().size() >= 8) {
      std::lock_guard<std::mutex> lock(mu_);
      canaries_.push_back(j.get<std::string>());
    }
  };
  walk(params, false);
}

void OracleInputs::NoteContent(const std::optional<std::string>& body) {
  if (!body) {
    return;
  }
  Json j = Json::parse(*body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [object, member] : {std::pair<const char*, const char*>{"payload", "data"},
                                       {"displayInformation", "title"},
                                       {"displayInformation", "description"}}) {
    if (j.contains(object) && j[object].is_object() && j[object].contains(member) &&
        j[object][member].is_string() && j[object][member].get<std::string>().size() >= 8) {
      content_.push_back(j[object][member].get<std::string>());
    }
  }
}

std::vector<std::string> OracleInputs::PushForbidden() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out = content_;
  for (const Bytes& s : secrets_) {
    for (auto& [name, text] : SecretEncodings(s)) {
      out.push_back(std::move(text));
    }
  }
  return out;
}

void OracleInputs::FillInto(OracleInput& in) const {
  std::lock_guard<std::mutex> lock(mu_);
  in.secrets = secrets_;
  in.fragments = fragments_;
  in.canaries = canaries_;
}

}  // namespace tigress::harness
