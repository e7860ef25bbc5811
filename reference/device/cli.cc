#include "reference/device/cli.h"

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "protocol/payload.h"
#include "protocol/rfc3339.h"
#include "reference/device/adapter.h"
#include "reference/device/curl_client.h"
#include "reference/device/exchange.h"
#include "reference/device/state_file.h"

namespace tigress::device {
namespace {

int Fail(const Error& e) {
  std::cerr << "tigress-device: error " << RpcCodeFor(e) << " " << e.Message() << "\n";
  if (e.Is(Errc::kNoNewMessage)) return kExitNoNewMessage;
  int code = RpcCodeFor(e);
  return code == kRpcInvalidParams && (e.Is(Errc::kDeviceUsage) || e.Is(Errc::kStateFileInvalid) ||
                                       e.Is(Errc::kFaultUnknown))
             ? kExitUsage
             : kExitFailure;
}

Result<ProvisioningInfo> ReadInfoFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(Errc::kDeviceUsage, path + ": cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  Json j = Json::parse(text.str(), nullptr, false);
  if (j.is_discarded()) return MakeError(Errc::kDeviceUsage, path + ": is not JSON");
  auto info = ProvisioningInfoFromJson(j);
  if (!info) return MakeError(Errc::kDeviceUsage, path + ": " + info.error().detail);
  return std::move(*info);
}

void LogToStderr(const std::string& line) { std::cerr << line << "\n"; }

int RunAdapter(Fault fault, Revision revision, const std::string& state_file) {
  AdapterOptions options;
  options.fault = fault;
  options.revision = revision;
  if (!state_file.empty()) options.state_file = state_file;
  // Read once at start-up, before any thread exists.
  if (const char* c = std::getenv(  // NOLINT(concurrency-mt-unsafe)
          "TIGRESS_DEVICE_INITIATOR_CLAIM");
      c != nullptr && *c != '\0') {
    options.initiator_claim = c;
  }
  options.log = LogToStderr;
  AdapterSession session(MakeCurlTransport, options);
  std::cerr << "tigress-device adapter: ready (fault " << FaultName(fault) << ", spec "
            << RevisionOf(revision).name << ")\n";
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::cout << session.HandleLine(line) << '\n' << std::flush;
    if (session.shutdown_requested()) return kExitOk;
  }
  return kExitOk;
}

// A device for one CLI invocation: the transport, the fault memory and the
// device share one lifetime.
struct CliDevice {
  std::unique_ptr<Transport> transport;
  FaultMemory memory;
  std::unique_ptr<Device> device;
};

Result<std::unique_ptr<CliDevice>> MakeCliDevice(const std::string& ca, Fault fault,
                                                 Revision revision,
                                                 std::optional<std::string> relay, bool verbose) {
  TransportOptions t;
  t.ca_file = ca;
  t.verify_peer = fault != Fault::kAcceptUntrustedCert;
  auto out = std::make_unique<CliDevice>();
  TIGRESS_ASSIGN_OR_RETURN(out->transport, MakeCurlTransport(t));
  DeviceOptions d;
  d.fault = fault;
  d.revision = revision;
  d.relay_base_url = std::move(relay);
  if (verbose) d.log = LogToStderr;
  out->device = std::make_unique<Device>(*out->transport, std::move(d), out->memory);
  return out;
}

}  // namespace

int RunDeviceCli(int argc, char** argv) {
  CLI::App app{
      "tigress-device: the reference TIGRESS initiator and recipient.\n"
      "Share a credential by hand (share, accept, send, receive, close, relinquish, state kept in\n"
      "a mode-0600 --state file), or serve the harness's JSON-RPC stdio contract (adapter).\n"
      "Exit codes: 0 ok, 1 device/relay/peer failure, 2 usage, 3 no new message."};
  app.fallthrough();
  std::string fault_name;
  bool list_faults = false;
  bool verbose = false;
  app.add_option("--fault", fault_name,
                 "switch on ONE deliberate violation (see --list-faults); in adapter mode also "
                 "TIGRESS_DEVICE_FAULT");
  app.add_flag("--list-faults", list_faults,
               "print the deliberate faults and the requirements they violate");
  app.add_flag("-v,--verbose", verbose, "log one redacted line per HTTP exchange on stderr");
  std::string spec_name{RevisionOf(kDefaultRevision).name};
  app.add_option(
         "--spec", spec_name,
         "draft revision whose header names every request uses (adapter and CLI):" + RevisionHelp())
      ->capture_default_str();

  std::string relay;
  std::string ca;
  std::string info_file;
  std::string state_file;
  std::string title = "Shared credential";
  std::string description = "A digital credential shared with you";
  std::string image_url = "https://example.com/credential.png";
  std::string vertical;
  std::string rights = "RWD";
  std::string cipher_name = "AEAD_AES_256_GCM";
  std::string delivery = "fragment";
  std::string share_url;
  std::string secret_b64;
  std::int64_t expires_in = std::int64_t{48} * 3600;
  std::int64_t timeout_ms = 0;

  CLI::App* share =
      app.add_subcommand("share",
                         "start a share as initiator; prints the Share URL (and the Secret "
                         "on its own line with --secret-delivery separate)");
  share->add_option("--relay", relay, "relay base URL, https://host[:port]")->required();
  share->add_option("--ca", ca, "PEM file: the only CA trusted for the relay's certificate")
      ->required();
  share->add_option("--info", info_file, "JSON file: Provisioning Information {format, content}")
      ->required();
  share->add_option("--title", title, "displayInformation.title")->capture_default_str();
  share->add_option("--description", description, "displayInformation.description")
      ->capture_default_str();
  share->add_option("--image-url", image_url, "displayInformation.imageURL")->capture_default_str();
  share->add_option("--vertical", vertical, "credential vertical: a (general), h (home), c (car)")
      ->check(CLI::IsMember({"a", "h", "c"}));
  share->add_option("--expires-in", expires_in, "mailbox lifetime in seconds")
      ->check(CLI::Range(std::int64_t{60}, std::int64_t{30} * 24 * 3600))
      ->capture_default_str();
  share->add_option("--access-rights", rights, "mailboxConfiguration.accessRights (R, W, D)")
      ->capture_default_str();
  share
      ->add_option("--cipher", cipher_name,
                   "AEAD_AES_128_GCM or AEAD_AES_256_GCM (aes-128-gcm / aes-256-gcm)")
      ->capture_default_str();
  share
      ->add_option("--secret-delivery", delivery,
                   "fragment (Secret in the URL) or separate (printed apart)")
      ->check(CLI::IsMember({"fragment", "separate"}))
      ->capture_default_str();
  share->add_option("--state", state_file, "state file to create (mode 0600)")->required();

  CLI::App* accept = app.add_subcommand("accept",
                                        "take a share as recipient; prints {displayInformation, "
                                        "provisioningInfo, expiration} as JSON");
  accept->add_option("URL", share_url, "the Share URL (the fragment never leaves this device)")
      ->required();
  accept->add_option("--secret", secret_b64, "the Secret (base64) when it came separately");
  accept->add_option("--ca", ca, "PEM file: the only CA trusted for the relay's certificate")
      ->required();
  accept->add_option("--state", state_file, "state file to create (mode 0600)")->required();

  CLI::App* send =
      app.add_subcommand("send", "encrypt a message and put it in the mailbox (UpdateMailbox)");
  send->add_option("--info", info_file, "JSON file: Provisioning Information {format, content}")
      ->required();
  send->add_option("--state", state_file, "state file of the share")->required();

  CLI::App* receive =
      app.add_subcommand("receive", "print the other party's newest unseen message as JSON");
  receive->add_option("--timeout-ms", timeout_ms, "keep polling this long for a new message")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{600000}))
      ->capture_default_str();
  receive->add_option("--state", state_file, "state file of the share")->required();

  CLI::App* close = app.add_subcommand("close", "delete the mailbox (DeleteMailbox)");
  close->add_option("--state", state_file, "state file of the share")->required();

  CLI::App* relinquish =
      app.add_subcommand("relinquish", "release the recipient binding (RelinquishMailbox)");
  relinquish->add_option("--state", state_file, "state file of the share")->required();

  std::string adapter_state;
  CLI::App* adapter_cmd = app.add_subcommand(
      "adapter", "serve the JSON-RPC 2.0 stdio contract of the harness (one object per line)");
  adapter_cmd->add_option("--state-file", adapter_state,
                          "keep the share in this file (mode 0600) so a restarted adapter "
                          "continues it; loaded at configure when it exists");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }

  if (list_faults) {
    for (const FaultInfo& f : AllFaults()) {
      std::cout << f.name << "\t" << f.requirements << "\t" << f.effect << "\n";
    }
    return kExitOk;
  }
  bool adapter = app.got_subcommand("adapter");
  if (fault_name.empty() && adapter) {
    // Read once at start-up, before any thread exists.
    const char* env = std::getenv("TIGRESS_DEVICE_FAULT");  // NOLINT(concurrency-mt-unsafe)
    if (env != nullptr) fault_name = env;
  }
  auto fault = ParseFault(fault_name);
  if (!fault) return Fail(fault.error());
  std::optional<Revision> revision = ParseRevision(spec_name);
  if (!revision) {
    return Fail(MakeError(Errc::kDeviceUsage, "--spec: unknown revision '" + spec_name +
                                                  "' (accepted: " + RevisionNames() + ")"));
  }
  if (adapter) return RunAdapter(*fault, *revision, adapter_state);
  if (app.get_subcommands().empty()) {
    std::cerr << app.help();
    return kExitUsage;
  }

  if (share->parsed()) {
    auto info = ReadInfoFile(info_file);
    if (!info) return Fail(info.error());
    auto cipher = ParseCipher(cipher_name == "aes-128-gcm"   ? "AEAD_AES_128_GCM"
                              : cipher_name == "aes-256-gcm" ? "AEAD_AES_256_GCM"
                                                             : cipher_name);
    if (!cipher) return Fail(MakeError(Errc::kDeviceUsage, "--cipher: " + cipher.error().detail));
    auto dev = MakeCliDevice(ca, *fault, *revision, relay, verbose);
    if (!dev) return Fail(dev.error());
    ShareParams p;
    p.info = std::move(*info);
    p.display = DisplayInformation{title, description, image_url};
    if (!vertical.empty()) p.vertical = vertical;
    p.expiration = FormatUtc(std::chrono::system_clock::now() + std::chrono::seconds(expires_in));
    p.access_rights = rights;
    p.cipher = *cipher;
    p.delivery = delivery == "separate" ? SecretDelivery::kSeparate : SecretDelivery::kFragment;
    auto r = (*dev)->device->Share(p);
    if (!r) return Fail(r.error());
    if (auto saved = SaveStateFile(state_file, {(*dev)->device->state(), ca}); !saved)
      return Fail(saved.error());
    // Showing the Share URL and Secret to the person who asked is the point
    // of this command; logs never carry them.
    std::cout << r->share_url << "\n";
    if (r->secret) std::cout << Base64Encode(*r->secret) << "\n";
    return kExitOk;
  }

  if (accept->parsed()) {
    AcceptParams p;
    p.share_url = share_url;
    if (!secret_b64.empty()) {
      auto key = Base64DecodeLenient(secret_b64);
      if (!key) return Fail(MakeError(Errc::kDeviceUsage, "--secret: " + key.error().detail));
      p.secret = std::move(*key);
    }
    auto dev = MakeCliDevice(ca, *fault, *revision, std::nullopt, verbose);
    if (!dev) return Fail(dev.error());
    auto r = (*dev)->device->Accept(p);
    if (!r) return Fail(r.error());
    if (auto saved = SaveStateFile(state_file, {(*dev)->device->state(), ca}); !saved)
      return Fail(saved.error());
    std::cout << Json{{"displayInformation", ToJson(r->display)},
                      {"provisioningInfo", ToJson(r->info)},
                      {"expiration", r->expiration}}
                     .dump()
              << "\n";
    return kExitOk;
  }

  // The remaining commands continue a share from its state file.
  auto loaded = LoadStateFile(state_file);
  if (!loaded) return Fail(loaded.error());
  auto dev = MakeCliDevice(loaded->ca_file, *fault, *revision, std::nullopt, verbose);
  if (!dev) return Fail(dev.error());
  Device& device = *(*dev)->device;
  device.set_state(loaded->state);
  auto save = [&]() -> int {
    if (auto saved = SaveStateFile(state_file, {device.state(), loaded->ca_file}); !saved)
      return Fail(saved.error());
    return kExitOk;
  };
  if (send->parsed()) {
    auto info = ReadInfoFile(info_file);
    if (!info) return Fail(info.error());
    if (auto r = device.Send(*info); !r) return Fail(r.error());
    return save();
  }
  if (receive->parsed()) {
    auto r = device.Receive(std::chrono::milliseconds(timeout_ms));
    if (!r) return Fail(r.error());
    if (int rc = save(); rc != kExitOk) return rc;
    std::cout << ToJson(*r).dump() << "\n";
    return kExitOk;
  }
  if (close->parsed()) {
    if (auto r = device.Close(); !r) return Fail(r.error());
    return save();
  }
  if (relinquish->parsed()) {
    if (auto r = device.Relinquish(); !r) return Fail(r.error());
    return save();
  }
  std::cerr << app.help();
  return kExitUsage;
}

}  // namespace tigress::device
