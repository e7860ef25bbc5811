// File: harness/config/manifest.h
//
// Implementation manifests (docs/adapter-contract.md section 1): which
// commands start an implementation's relay and device adapter, how the
// harness knows the relay is ready, and where devices reach it.
//
//   Manifest m = LoadManifest("implementations/reference.yaml").value();
//   Placeholders ph{.root = m.root, .port = "40123", ...};
//   std::vector<std::string> argv = ExpandCommand(m.relay->command, ph);
//
// Placeholders in commands, base_url and env values: {root} (directory of the
// manifest), {port}, {cert}, {key}, {ca}, {workdir}, {public_url}, and our
// extension {bindir} (the directory of the running tigress-harness, or
// --bindir / TIGRESS_BINDIR). Unknown placeholders, unknown keys and bad
// values are load errors naming file:line.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/config/defaults.h"
#include "protocol/result.h"
#include "protocol/revision.h"

namespace tigress::harness {

// `ReadySpec` says how to know a started process is ready.
struct ReadySpec {
  enum class Kind {
    kNone,    // ready once started (device adapters: `hello` is the handshake)
    kTcp,     // a TCP connect to 127.0.0.1:{port} succeeds
    kStdout,  // a stdout line starts with `token`
  };
  Kind kind = Kind::kNone;
  std::string token;                                          // for kStdout
  std::chrono::milliseconds timeout{kDefaultReadyTimeoutMs};  // bound of the wait
  // `reports_port` (YAML `ready: {stdout: TOKEN, port: true}`, kStdout only,
  // relay only): the relay gets {port} = 0, binds a port of its choosing and
  // prints it as the first decimal number after TOKEN on the ready line
  // ("READY 43817"); the harness reads it with Process::ReportedPort. This
  // avoids the race of a port the harness picked being taken before the
  // relay binds it.
  bool reports_port = false;
};

// `RoleSpec` is one process kind of an implementation (relay or device).
struct RoleSpec {
  std::vector<std::string> command;  // argv with placeholders
  ReadySpec ready;
  std::string base_url;  // relay only: the URL devices and probes are pointed at
};

// `Manifest` is one implementation under test.
struct Manifest {
  std::string name;  // [a-z0-9-]+, unique in a run
  std::string version;
  std::optional<RoleSpec> relay;
  std::optional<RoleSpec> device;
  std::vector<std::string> features;  // each one of kKnownFeatures
  // The draft revision the implementation speaks (YAML `spec: sct-04`;
  // default http-00): the header names its processes use on the wire.
  Revision spec = kDefaultRevision;
  std::vector<std::pair<std::string, std::string>> env;  // values with placeholders
  std::filesystem::path path;                            // the manifest file (absolute)
  std::filesystem::path root;                            // its directory; the {root} placeholder

  bool HasFeature(std::string_view f) const;
};

// `Placeholders` are the values substituted into a command for one process.
struct Placeholders {
  std::string root{};
  std::string port{};
  std::string cert{};
  std::string key{};
  std::string ca{};
  std::string workdir{};
  std::string public_url{};
  std::string bindir{};
  std::string push_url{};  // webhook receiver URL prefix (the recording proxy's)
};

// `kKnownFeatures` is every optional capability a manifest may declare and a
// scenario may need (docs/adapter-contract.md section 1); a manifest or a
// scenario naming another is a load error with the nearest known name.
inline constexpr std::string_view kKnownFeatures[] = {
    "aes-128-gcm", "aes-256-gcm", "relinquish", "push-webhook", "attestation", "persistent-state",
    "request-id-retry"};

// `CheckFeatureName` is an error message for an unknown feature ("unknown
// feature 'atestation' (did you mean 'attestation'? known: ...)"), or "" for
// a known one.
std::string CheckFeatureName(std::string_view feature);

// `kPlaceholderNames` lists every placeholder the harness substitutes.
inline constexpr std::string_view kPlaceholderNames[] = {
    "root", "port", "cert", "key", "ca", "workdir", "public_url", "bindir", "push_url"};

// `LoadManifest` reads and validates a manifest. Errors (kManifestInvalid)
// name file:line: syntax, unknown key, missing `name`/`command`, bad name,
// empty command, unknown placeholder, bad `ready` or duration, `ready.port`
// without `ready.stdout` or on a device, an unknown feature or `spec`.
Result<Manifest> LoadManifest(const std::filesystem::path& path);

// `LoadManifestString` is `LoadManifest` on text; `path` names it in errors
// and gives {root}.
Result<Manifest> LoadManifestString(std::string text, const std::filesystem::path& path);

// `Expand` substitutes every known `{name}` in `text`; other braces are left
// as they are (validation happened at load time).
std::string Expand(std::string_view text, const Placeholders& ph);

// `ExpandCommand` expands every argument of `command`.
std::vector<std::string> ExpandCommand(const std::vector<std::string>& command,
                                       const Placeholders& ph);

// `PlaceholderEnv` is the TIGRESS_* environment exported to every process
// (TIGRESS_PORT, TIGRESS_CERT, TIGRESS_KEY, TIGRESS_CA, TIGRESS_WORKDIR,
// TIGRESS_PUBLIC_URL, TIGRESS_ROOT, TIGRESS_BINDIR); empty values are omitted.
std::vector<std::pair<std::string, std::string>> PlaceholderEnv(const Placeholders& ph);

}  // namespace tigress::harness
