// Fuzz target: the adapter client's JSON-RPC line reader
// (harness/process/adapter_client.h). The reading of a response line lives
// inside AdapterClient::Call, so the input is what an adapter wrote to its
// stdout: it goes into a pipe whose write end is then closed, and `Call` is
// made until the client is broken (at the latest at EOF). Each line also
// passes RedactRpcLine on its own.
#include <fcntl.h>
#include <string>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "fuzz/fuzz_check.h"
#include "harness/process/adapter_client.h"

namespace {

using tigress::harness::AdapterClient;
using tigress::harness::RpcOutcome;

// The most an input may hold: what a pipe takes without a reader.
constexpr std::size_t kMaxInput = 60000;
constexpr int kMaxCalls = 64;

struct Pipe {
  int read = -1;
  int write = -1;
  Pipe() {
    int fds[2];
    FUZZ_CHECK(::pipe2(fds, O_CLOEXEC) == 0, "pipe2 works");
    read = fds[0];
    write = fds[1];
  }
  ~Pipe() {
    if (read >= 0) ::close(read);
    if (write >= 0) ::close(write);
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
};

void Redact(std::string_view text) {
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    (void)tigress::harness::RedactRpcLine(std::string(text.substr(0, nl)));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  const std::string_view text = tigress::fuzz::Text(data, size);
  Redact(text);

  Pipe requests;
  Pipe responses;
  FUZZ_CHECK(::write(responses.write, data, size) == static_cast<ssize_t>(size),
             "the input fits into the pipe");
  ::close(responses.write);
  responses.write = -1;
  AdapterClient client(requests.write, responses.read, "fuzz");
  int calls = 0;
  while (calls < kMaxCalls && !client.broken()) {
    const RpcOutcome out =
        client.Call("hello", nlohmann::json::object(), std::chrono::milliseconds(5000));
    ++calls;
    FUZZ_CHECK(out.kind != RpcOutcome::Kind::kTimeout, "a closed stdout is EOF, not a timeout");
    FUZZ_CHECK((out.kind == RpcOutcome::Kind::kBroken) == client.broken(),
               "a broken outcome and only that breaks the client");
    (void)out.Document();
  }
  FUZZ_CHECK(client.Transcript().size() >= static_cast<std::size_t>(calls),
             "every request is in the transcript");
  return 0;
}
