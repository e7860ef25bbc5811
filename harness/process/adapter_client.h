// File: harness/process/adapter_client.h
//
// The harness side of the device adapter contract (docs/adapter-contract.md
// section 2): JSON-RPC 2.0 over a child's stdin/stdout, one JSON object per
// line, one request at a time, each call bounded by a timeout.
//
//   AdapterClient client(proc.stdin_fd(), proc.stdout_fd(), "initiator");
//   RpcOutcome out = client.Call("hello", json::object(), 5s);
//   if (out.kind == RpcOutcome::Kind::kResult) ... out.result ...
//
// Once a call times out or the adapter breaks the contract (garbage on
// stdout, a wrong id, EOF, a line nested deeper than `kMaxRpcDepth`), the
// client is `broken()` and every later call fails at once: a late answer
// could otherwise be taken for the next one.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/json_depth.h"
#include "protocol/result.h"

namespace tigress::harness {

// `RpcOutcome` is what one call produced.
struct RpcOutcome {
  enum class Kind {
    kResult,   // a JSON-RPC result
    kError,    // a JSON-RPC error object (code/message/data)
    kTimeout,  // no answer within the timeout
    kBroken,   // EOF, garbage, wrong id, write failure: `detail` says which
  };
  Kind kind = Kind::kBroken;
  nlohmann::json result;
  int code = 0;
  std::string message;
  nlohmann::json data;
  std::string detail;
  double elapsed_ms = 0;

  // `Document` is {"result": ...} or {"error": {code, message, data}} (what
  // scenario expectations look at); {} for timeout/broken.
  nlohmann::json Document() const;
};

// `AdapterClient` talks to one adapter process through two file descriptors
// it does not own.
class AdapterClient {
 public:
  // `describe_exit` (optional) explains why the stream ended ("exited with
  // status 3; stderr: ..."), for messages about a crashed adapter.
  AdapterClient(int stdin_fd, int stdout_fd, std::string name,
                std::function<std::string()> describe_exit = {});

  // `Call` sends one request and waits for its response, both within
  // `timeout`: an adapter that stops reading its stdin (a full pipe) gives
  // kTimeout as well, never a harness blocked on the write.
  RpcOutcome Call(const std::string& method, const nlohmann::json& params,
                  std::chrono::milliseconds timeout);

  bool broken() const { return !broken_reason_.empty(); }
  const std::string& broken_reason() const { return broken_reason_; }
  const std::string& name() const { return name_; }

  // `Transcript` is every line sent (">> ") and received ("<< "), with
  // Secrets, keys, plaintext and claims redacted.
  const std::vector<std::string>& Transcript() const { return transcript_; }

 private:
  RpcOutcome Broken(const std::string& detail, std::chrono::steady_clock::time_point start);

  int in_fd_;
  int out_fd_;
  std::string name_;
  std::function<std::string()> describe_exit_;
  std::string buffer_;
  std::int64_t next_id_ = 1;
  std::string broken_reason_;
  std::vector<std::string> transcript_;
};

// `HelloInfo` is what an adapter said about itself.
struct HelloInfo {
  std::string name;
  std::string version;
  std::vector<std::string> features;
};

// `ContractProbe` calls `hello` and then a method no adapter implements
// (`tigress.probe.unknownMethod`), requiring a -32601 error. Errors:
// kAdapterTimeout, kAdapterProtocol (broken stream / malformed hello), or
// kContractProbeFailed (the unknown method was not answered with -32601).
Result<HelloInfo> ContractProbe(AdapterClient& client, std::chrono::milliseconds timeout);

// `kMaxRpcDepth` bounds the nesting of arrays and objects in an adapter's
// line. Copying, comparing or printing a parsed value recurses once per
// level, so a deeper line is refused before it is parsed (the call is
// kBroken, its case ERROR) instead of overflowing the stack.
inline constexpr std::size_t kMaxRpcDepth = kMaxJsonDepth;

// `JsonNestingDepth` (protocol/json_depth.h) measures a line before it is
// parsed.

// `RedactRpcLine` hides Secrets (`secret`, `key`, share URL fragments),
// plaintext (`plaintext`, `provisioningInfo.content`) in one JSON-RPC line.
// A line nested deeper than `kMaxRpcDepth` is not parsed: it is shown
// shortened with a note; values deeper than that in a parsed line become
// "[too deep]".
std::string RedactRpcLine(const std::string& line);

}  // namespace tigress::harness
