// The model's methods and its text for reports; the loader is in
// scenario_loader.cc, step_loader.cc and expectation_loader.cc.
#include "harness/scenario/scenario.h"

#include <algorithm>
#include <string>
#include <type_traits>

namespace tigress::harness {

const std::string& RoleName(Role role) {
  static const std::string kNames[] = {"relay", "initiator", "recipient"};
  return kNames[static_cast<int>(role)];
}

std::vector<std::string> RoleNames(const std::vector<Role>& roles) {
  std::vector<std::string> out;
  for (Role r : roles) {
    out.push_back(RoleName(r));
  }
  return out;
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : kAllRoles) {
    if (RoleName(r) == name) {
      return r;
    }
  }
  return std::nullopt;
}

namespace {

template <Step::Kind K, typename A>
constexpr bool kKindIs =
    std::is_same_v<std::variant_alternative_t<static_cast<std::size_t>(K), Step::Action>, A>;

}  // namespace

static_assert(std::variant_size_v<Step::Action> == 7 && kKindIs<Step::Kind::kCall, CallAction> &&
                  kKindIs<Step::Kind::kHttp, HttpAction> &&
                  kKindIs<Step::Kind::kWait, WaitAction> &&
                  kKindIs<Step::Kind::kParallel, ParallelAction> &&
                  kKindIs<Step::Kind::kHostile, HostileAction> &&
                  kKindIs<Step::Kind::kRestart, RestartAction> &&
                  kKindIs<Step::Kind::kPush, PushAction>,
              "Step::Kind follows the order of Step::Action's alternatives");

std::span<const Step> Step::Inner() const {
  if (const auto* group = std::get_if<ParallelAction>(&action)) {
    return group->steps;
  }
  return {};
}

bool Scenario::HasRole(Role role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Scenario::StartsLate(Role role) const {
  return std::find(start_late.begin(), start_late.end(), role) != start_late.end();
}

std::string Scenario::Area() const { return id.substr(0, id.find('/')); }

const Scenario* ScenarioSet::Find(std::string_view id) const {
  for (const auto& s : scenarios) {
    if (s.id == id) {
      return &s;
    }
  }
  return nullptr;
}

std::string ExpectationToString(const Expectation& e) {
  auto codes = [&] {
    std::string s;
    for (int c : e.codes) {
      s += (s.empty() ? "" : ", ") + std::to_string(c);
    }
    return e.codes.size() == 1 ? s : "one of [" + s + "]";
  };
  // A YAML operand may hold octets that are not UTF-8; they are shown as U+FFFD.
  auto dump = [&] { return e.operand.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); };
  auto op = [&]() -> std::string {
    switch (e.op) {
      case Expectation::Op::kEquals:
        return "equals " + dump();
      case Expectation::Op::kMatches:
        return "matches /" + e.operand.get<std::string>() + "/";
      case Expectation::Op::kPresent:
        return "is present";
      case Expectation::Op::kAbsent:
        return "is absent";
      case Expectation::Op::kOneOf:
        return "is one of " + dump();
      case Expectation::Op::kContains:
        return "contains " + dump();
      case Expectation::Op::kNotContains:
        return "does not contain " + dump();
      case Expectation::Op::kType:
        return "is a " + e.operand.get<std::string>();
      default:
        return "";
    }
  };
  switch (e.subject) {
    case Expectation::Subject::kStatus:
      return "status " + codes();
    case Expectation::Subject::kError:
      return "adapter error " + codes();
    case Expectation::Subject::kOk:
      return "adapter call succeeds";
    case Expectation::Subject::kHeader:
      return "header " + e.target + " " + op();
    case Expectation::Subject::kJson:
      return "json " + (e.target.empty() ? std::string("$") : e.target) + " " + op();
    case Expectation::Subject::kBody:
      return "body " + op();
    case Expectation::Subject::kCount: {
      std::string range;
      if (e.min && e.max && *e.min == *e.max) {
        range = "exactly " + std::to_string(*e.min);
      } else {
        if (e.min) {
          range += "at least " + std::to_string(*e.min);
        }
        if (e.max) {
          range += std::string(range.empty() ? "" : " and ") + "at most " + std::to_string(*e.max);
        }
      }
      return range + " response(s) with status " + codes();
    }
  }
  return "?";
}

}  // namespace tigress::harness
