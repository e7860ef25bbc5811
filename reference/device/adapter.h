// File: reference/device/adapter.h
//
// The JSON-RPC 2.0 face of the device (shared/design/adapter-protocol.md):
// one request line in, exactly one response line out. `HandleLine` is a pure
// function of the session's state and the transport it was given, so the
// whole contract is unit tested without processes; `RunAdapter` (cli.cc)
// only moves lines between stdin and stdout.
//
//   AdapterSession s(MakeCurlTransport, {});
//   std::string out = s.HandleLine(R"({"jsonrpc":"2.0","id":1,"method":"hello"})");
//   // {"jsonrpc":"2.0","id":1,"result":{"name":"tigress-device",...,"spec":"http-00"}}
//   s.shutdown_requested();   // true after "shutdown"
//
// Methods: hello, configure, initiator.share, recipient.accept,
// recipient.relinquish, send, receive, close, payload.seal, payload.open,
// shareUrl.parse, shareUrl.build, shutdown; and the extensions
// device.state (role, closed, a redacted claim) and device.faults.
// Unknown methods → -32601, bad params → -32602, unparsable line → -32700
// with id null, not a request object → -32600.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/messages.h"
#include "reference/device/device.h"
#include "reference/device/faults.h"
#include "reference/device/transport.h"
#include "tigress/version.h"

namespace tigress::device {

inline constexpr std::string_view kDeviceName = "tigress-device";
inline constexpr std::string_view kDeviceVersion = tigress::kVersion;

struct AdapterOptions {
  Fault fault = Fault::kNone;                  // from --fault / TIGRESS_DEVICE_FAULT
  Revision revision = kDefaultRevision;        // from --spec; `hello` reports its name
  std::optional<std::string> initiator_claim;  // TIGRESS_DEVICE_INITIATOR_CLAIM
  // Passed on to every Device (time injection for tests, stderr log).
  std::function<void(std::chrono::milliseconds)> sleep;
  std::function<std::chrono::steady_clock::time_point()> now;
  std::function<void(const std::string&)> log;
  // `--state-file`: the share survives a restart of the process. `configure`
  // loads the file when it exists; every later call that succeeds saves the
  // device state (0600, replaced atomically; it holds the Secret).
  std::optional<std::filesystem::path> state_file;
};

class AdapterSession {
 public:
  AdapterSession(TransportFactory factory, AdapterOptions options);

  // `HandleLine` answers one request line with one response line (no
  // trailing newline). It never throws.
  std::string HandleLine(std::string_view line);

  // `HandleRequest` is `HandleLine` on parsed JSON (returns the response object).
  Json HandleRequest(const Json& request);

  bool shutdown_requested() const { return shutdown_; }
  Fault fault() const { return options_.fault; }

 private:
  Result<Json> Dispatch(const std::string& method, const Json& params, bool* known);
  Result<Json> Configure(const Json& params);
  Result<Json> Share(const Json& params);
  Result<Json> Accept(const Json& params);
  Result<Device*> RequireDevice(std::string_view method);

  TransportFactory factory_;
  AdapterOptions options_;
  FaultMemory memory_;
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<Device> device_;
  std::optional<std::string> relay_base_url_;
  std::string ca_file_;  // as configured, kept in the state file
  int retries_ = 1;
  bool shutdown_ = false;
};

// `ErrorResponse` builds a JSON-RPC error object for `e` with the contract's
// code and data (`status` for 1002, `detail` for 1003/1005, `token` always).
Json ErrorObject(const Error& e);

}  // namespace tigress::device
