// File: harness/scenario/scenario.h
//
// The scenario model and its strict loader (format: docs/scenario-format.md).
// A scenario is one YAML file: an id, a title, the requirement IDs it checks,
// keywords, the roles it needs (relay, initiator, recipient), and steps with
// expectations. Every expectation cites a requirement ID from the catalogue.
//
//   ScenarioSet set = LoadScenarioDir("scenarios", known_ids).value();
//   for (const Scenario& s : set.scenarios) ...
//
// Load errors (kScenarioInvalid / kVariableUndefined) name file:line: YAML
// syntax, unknown keys, unknown requirement IDs, duplicate scenario IDs,
// variables used before any step saves them, roles a step needs but the
// scenario does not declare.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/config/defaults.h"
#include "harness/har/hostile.h"
#include "protocol/result.h"

namespace tigress::harness {

// `Role` is a part a scenario needs played: the relay, or one of the two
// devices. Scenarios, reports, file names and log lines spell it as
// RoleName does.
enum class Role { kRelay, kInitiator, kRecipient };

// Every role, in the order reports list them.
inline constexpr Role kAllRoles[] = {Role::kRelay, Role::kInitiator, Role::kRecipient};

// `RoleName` is the role's name: "relay", "initiator" or "recipient".
const std::string& RoleName(Role role);

// `RoleNames` is RoleName of each of `roles`, in order.
std::vector<std::string> RoleNames(const std::vector<Role>& roles);

// `ParseRole` is the role named exactly `name`, or nullopt.
std::optional<Role> ParseRole(std::string_view name);

// `IsDeviceRole` is true for the initiator and the recipient.
inline bool IsDeviceRole(Role role) { return role != Role::kRelay; }

// `Expectation` is one check on the outcome of a step.
struct Expectation {
  enum class Subject {
    kStatus,  // HTTP status in `codes`
    kHeader,  // response header `target`
    kJson,    // JSON value at path `target` (http: the parsed body; call: {result, error})
    kBody,    // the raw response body text
    kError,   // adapter error code in `codes`
    kOk,      // the adapter call succeeded
    kCount,   // parallel group: number of responses whose status is in `codes`
  };
  enum class Op {
    kNone,
    kEquals,
    kMatches,
    kPresent,
    kAbsent,
    kOneOf,
    kContains,
    kNotContains,
    kType,
    kRange
  };

  std::string req;                               // requirement ID (checked against the catalogue)
  std::vector<std::string> interpretation_refs;  // `interpretation: C-11` on the expectation
  std::string note;                              // optional human text
  Subject subject = Subject::kStatus;
  std::vector<int> codes;  // kStatus / kError / kCount
  std::string target;      // header name or JSON path
  Op op = Op::kNone;
  nlohmann::json operand;                // template (may contain ${...}); for kType the type name
  std::optional<std::int64_t> min, max;  // kCount (equals sets both)
  std::string where;                     // file:line
};

struct Step;

// The actions a step can take, one type per kind, each with only its own
// fields (docs/scenario-format.md).

// `call`: one JSON-RPC request to a device role's adapter.
struct CallAction {
  Role role = Role::kInitiator;  // a device role
  std::string method{};          // JSON-RPC method
  nlohmann::json params = nlohmann::json::object();
  std::int64_t timeout_ms = 0;  // 0: the runner's default
};

// `http`: one probe request to the relay.
struct HttpAction {
  std::string as = "device";  // device | attacker
  std::string method{};
  std::string path{};  // relative to ${relay.base_url}
  std::string url{};   // or a full URL (its fragment is never sent)
  std::vector<std::pair<std::string, std::string>> headers{};  // templates
  // Header names are canonical (http-00's) and sent under the case's draft
  // revision's names (Mailbox-Device-Claim goes out as Device-Claim under
  // sct-04); `literal_headers: true` sends them exactly as written.
  bool literal_headers = false;
  std::optional<nlohmann::json> body{};  // string: raw; object/array: JSON
  std::int64_t timeout_ms = 0;           // 0: the runner's default
  // Slow and abandoned clients: the body goes out `slow_chunk` octets at a
  // time with `slow_pause_ms` between chunks; `abandon_after` drops the
  // connection once that many body octets are sent; `connect_only_ms` opens
  // the connection (TCP and TLS), sends nothing for that long, and closes it.
  std::size_t slow_chunk = 0;
  std::int64_t slow_pause_ms = 0;
  std::optional<std::size_t> abandon_after{};
  std::int64_t connect_only_ms = 0;
  std::string tls_max{};  // "1.0" .. "1.3": the highest TLS version the probe offers; empty: any
  // `if_accepted`: variable -> template, set when the relay answers 2xx, so
  // a later read-back compares with the last write the relay accepted rather
  // than the last one sent.
  std::vector<std::pair<std::string, nlohmann::json>> if_accepted{};
};

// `wait`: a pause.
struct WaitAction {
  std::int64_t ms = 0;
};

// `parallel`: steps run concurrently.
struct ParallelAction {
  int repeat = 0;  // > 0: run `steps` that many times concurrently; 0: each step concurrently
  // No `{}`: clang 14 would instantiate vector<Step> here, while Step is incomplete.
  std::vector<Step> steps;
};

// `hostile`: how the recording proxy answers devices from now on
// (harness/har/hostile.h; scenarios name it as HostileModeName does).
struct HostileAction {
  HostileMode mode = HostileMode::kOff;
};

// `restart`: the device role whose adapter process is stopped and started
// again (same work directory, hello and configure again).
struct RestartAction {
  Role role = Role::kInitiator;  // a device role
};

// `push`: the recording proxy must have received exactly `count` webhook
// notifications at `url` (a template, e.g. "${relay.push_url}init-${uuid:a}")
// within `within_ms`; a count of 0 waits the whole time. Judged against the
// step's `req` (RELAY-50 by default), and every push seen there against
// PRIV-10 (no content).
struct PushAction {
  std::string url{};
  std::int64_t count = 1;
  std::int64_t within_ms = kDefaultPushWithinMs;
};

// `Step` is one action of a scenario and what is checked of it.
struct Step {
  // The kinds, in the order of `Action`'s alternatives.
  enum class Kind { kCall, kHttp, kWait, kParallel, kHostile, kRestart, kPush };
  using Action = std::variant<CallAction, HttpAction, WaitAction, ParallelAction, HostileAction,
                              RestartAction, PushAction>;

  std::string where;  // file:line
  std::string name;   // optional label
  std::string req;    // requirement for implicit checks (a call that must succeed)
  Action action = WaitAction{};

  std::vector<std::pair<std::string, std::string>> save;  // variable -> path in the step's document
  std::vector<Expectation> expect;

  // A positive control (`control: true`, call and http steps): the valid
  // form of the requests the case expects refused. When it does not succeed
  // the case is a FAIL of its requirement and the refusals the case checks
  // are not evaluated (docs/scenario-format.md).
  bool control = false;
  // The part C readings this step's expectations rest on (`interpretation:`
  // on the step, possibly empty), replacing the scenario's; unset: the
  // scenario's apply, except to control steps and steps that save values.
  std::optional<std::vector<std::string>> interpretation_refs;

  Kind kind() const { return static_cast<Kind>(action.index()); }
  // `As` is the step's action of kind `A` (std::bad_variant_access for
  // another kind).
  template <typename A>
  const A& As() const {
    return std::get<A>(action);
  }
  template <typename A>
  A& As() {
    return std::get<A>(action);
  }
  // `Inner` is a parallel group's steps; empty for every other kind.
  std::span<const Step> Inner() const;
};

// `Scenario` is one loaded file.
struct Scenario {
  std::string id;
  std::string title;
  std::string description;
  std::vector<std::string> requirements;  // declared plus every expectation's req
  std::vector<std::string> keywords;
  std::vector<Role> roles;            // as declared (a subset of the three)
  std::vector<std::string> features;  // optional features every implementation must declare
  std::vector<std::string> interpretation_refs;  // part C items the scenario rests on
  // Device roles whose adapter process starts only at the role's first call
  // (store-and-forward: a device that did not exist while the other wrote).
  std::vector<Role> start_late;
  // Identifying strings (names, addresses) the display-not-identifying
  // oracle (PRIV-09) must not find in displayInformation, besides the e-mail
  // and phone patterns it always looks for. Each at least 3 characters.
  std::vector<std::string> personal_data;
  std::vector<Step> steps;
  std::filesystem::path file;
  std::string text;  // the raw file, kept for the case directory

  bool HasRole(Role role) const;
  bool StartsLate(Role role) const;
  // `Area` is the first path segment of the id ("relay" for "relay/create-basic").
  std::string Area() const;
};

// `ScenarioSet` is every scenario of a directory tree, sorted by id.
struct ScenarioSet {
  std::vector<Scenario> scenarios;
  const Scenario* Find(std::string_view id) const;
};

// `KnownRequirement` answers whether an ID is in the catalogue.
using KnownRequirement = std::function<bool(const std::string&)>;

// `LoadScenarioString` parses one scenario; `file` names it in errors.
Result<Scenario> LoadScenarioString(std::string text, const std::filesystem::path& file,
                                    const KnownRequirement& known);

// `LoadScenarioFile` reads and parses one file.
Result<Scenario> LoadScenarioFile(const std::filesystem::path& file, const KnownRequirement& known);

// `LoadScenarioDir` loads every *.yaml under `dir` (recursively), refusing
// duplicate ids (the error names both files and lines).
Result<ScenarioSet> LoadScenarioDir(const std::filesystem::path& dir,
                                    const KnownRequirement& known);

// `ExpectationToString` describes an expectation for reports ("status in [200]").
std::string ExpectationToString(const Expectation& e);

}  // namespace tigress::harness
