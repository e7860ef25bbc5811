#include "harness/process/adapter_client.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "protocol/encoding.h"

namespace tigress::harness {

namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// `depth` counts the levels above `j`; the parsers' pre-scan keeps lines
// within kMaxRpcDepth, the bound here holds for values built elsewhere.
void RedactValue(Json& j, std::size_t depth = 0) {
  if ((j.is_object() || j.is_array()) && depth >= kMaxRpcDepth) {
    j = "[too deep]";
    return;
  }
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (k == "secret" || k == "key" || k == "plaintext" || k == "content") {
        if (v.is_string()) {
          v = Redact(v.get<std::string>());
        } else {
          v = "[redacted]";
        }
      } else if ((k == "shareUrl" || k == "url") && v.is_string()) {
        std::string s = v.get<std::string>();
        auto hash = s.find('#');
        if (hash != std::string::npos) {
          v = s.substr(0, hash + 1) + Redact(s.substr(hash + 1));
        }
      } else {
        RedactValue(v, depth + 1);
      }
    }
  } else if (j.is_array()) {
    for (auto& v : j) {
      RedactValue(v, depth + 1);
    }
  }
}

std::string Shortened(const std::string& line, std::size_t max) {
  return line.size() > max ? line.substr(0, max) + "..." : line;
}

}  // namespace

std::string RedactRpcLine(const std::string& line) {
  if (JsonNestingDepth(line) > kMaxRpcDepth) {
    return Shortened(line, 200) + " [not shown: nested deeper than " +
           std::to_string(kMaxRpcDepth) + " levels]";
  }
  Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return Shortened(line, 200);
  }
  RedactValue(j);
  return j.dump();
}

Json RpcOutcome::Document() const {
  if (kind == Kind::kResult) {
    return Json{{"result", result}};
  }
  if (kind == Kind::kError) {
    Json e{{"code", code}, {"message", message}};
    if (!data.is_null()) {
      e["data"] = data;
    }
    return Json{{"error", e}};
  }
  return Json::object();
}

AdapterClient::AdapterClient(int stdin_fd, int stdout_fd, std::string name,
                             std::function<std::string()> describe_exit)
    : in_fd_(stdin_fd),
      out_fd_(stdout_fd),
      name_(std::move(name)),
      describe_exit_(std::move(describe_exit)) {
  // A dead adapter must show up as EPIPE, not kill the harness.
  ::signal(SIGPIPE, SIG_IGN);
}

RpcOutcome AdapterClient::Broken(const std::string& detail, Clock::time_point start) {
  RpcOutcome out;
  out.kind = RpcOutcome::Kind::kBroken;
  out.detail = name_ + ": " + detail;
  out.elapsed_ms = MsSince(start);
  if (broken_reason_.empty()) {
    broken_reason_ = out.detail;
  }
  return out;
}

RpcOutcome AdapterClient::Call(const std::string& method, const Json& params,
                               std::chrono::milliseconds timeout) {
  const auto start = Clock::now();
  if (broken()) {
    return Broken("unusable after an earlier failure (" + broken_reason_ + ")", start);
  }
  const std::int64_t id = next_id_++;
  Json req{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}};
  std::string line = req.dump() + "\n";
  transcript_.push_back(">> " + RedactRpcLine(req.dump()));

  const auto deadline = start + timeout;
  auto timed_out = [&](const std::string& what) {
    RpcOutcome out;
    out.kind = RpcOutcome::Kind::kTimeout;
    out.detail = name_ + ": no answer to " + method + " within " + std::to_string(timeout.count()) +
                 " ms" + what;
    out.elapsed_ms = MsSince(start);
    broken_reason_ = out.detail;
    return out;
  };
  // Non-blocking while the request is written: an adapter that never reads
  // its stdin fills the pipe, and a blocking write would never return. The
  // flag is restored after, for anyone else writing to the same pipe.
  const int flags = ::fcntl(in_fd_, F_GETFL);
  if (flags >= 0) {
    ::fcntl(in_fd_, F_SETFL, flags | O_NONBLOCK);
  }
  std::size_t off = 0;
  std::string write_error;
  bool write_timed_out = false;
  while (off < line.size()) {
    ssize_t n = ::write(in_fd_, line.data() + off, line.size() - off);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && errno == EAGAIN) {  // EWOULDBLOCK is the same on Linux
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        write_timed_out = true;
        break;
      }
      pollfd p{in_fd_, POLLOUT, 0};
      ::poll(&p, 1, static_cast<int>(left.count()));
      continue;
    }
    if (n <= 0) {
      write_error = std::strerror(errno);
      break;
    }
    off += static_cast<std::size_t>(n);
  }
  if (flags >= 0) {
    ::fcntl(in_fd_, F_SETFL, flags);
  }
  if (write_timed_out) {
    return timed_out(" (the request could not be written: the adapter is not reading its stdin)");
  }
  if (!write_error.empty()) {
    std::string why = "cannot write the request (" + write_error + ")";
    if (describe_exit_) {
      why += "; adapter " + describe_exit_();
    }
    return Broken(why, start);
  }

  for (;;) {
    auto nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string resp = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      if (!resp.empty() && resp.back() == '\r') {
        resp.pop_back();
      }
      transcript_.push_back("<< " + RedactRpcLine(resp));
      if (JsonNestingDepth(resp) > kMaxRpcDepth) {
        return Broken("wrote a stdout line nested deeper than " + std::to_string(kMaxRpcDepth) +
                          " levels: '" + Shortened(resp, 120) + "'",
                      start);
      }
      Json j = Json::parse(resp, nullptr, false);
      if (j.is_discarded() || !j.is_object()) {
        return Broken(
            "wrote a stdout line that is not a JSON object: '" + Shortened(resp, 120) + "'", start);
      }
      if (!j.contains("id") || j["id"] != Json(id)) {
        return Broken("answered with id " +
                          (j.contains("id") ? j["id"].dump() : std::string("(none)")) +
                          " to request id " + std::to_string(id),
                      start);
      }
      RpcOutcome out;
      out.elapsed_ms = MsSince(start);
      if (j.contains("error") && j["error"].is_object()) {
        const Json& e = j["error"];
        if (!e.contains("code") || !e["code"].is_number_integer()) {
          return Broken("error object without an integer code: " + e.dump(), start);
        }
        out.kind = RpcOutcome::Kind::kError;
        out.code = e["code"].get<int>();
        if (e.contains("message") && !e["message"].is_string()) {
          return Broken("error object whose message is not a string: " + e.dump(), start);
        }
        out.message = e.value("message", "");
        if (e.contains("data")) {
          out.data = e["data"];
        }
        return out;
      }
      if (!j.contains("result")) {
        return Broken("response has neither result nor error", start);
      }
      out.kind = RpcOutcome::Kind::kResult;
      out.result = j["result"];
      return out;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      return timed_out("");
    }
    pollfd p{out_fd_, POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno == EINTR) {
      continue;
    }
    if (rc <= 0) {
      continue;
    }
    char buf[8192];
    ssize_t n = ::read(out_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      std::string why = "closed stdout while " + method + " was pending";
      if (describe_exit_) {
        why += "; adapter " + describe_exit_();
      }
      return Broken(why, start);
    }
    buffer_.append(buf, static_cast<std::size_t>(n));
    if (buffer_.size() > (64U << 20)) {
      return Broken("wrote more than 64 MiB without a newline", start);
    }
  }
}

Result<HelloInfo> ContractProbe(AdapterClient& client, std::chrono::milliseconds timeout) {
  auto fail = [&](const RpcOutcome& out, std::string_view what) -> Error {
    if (out.kind == RpcOutcome::Kind::kTimeout) {
      return MakeError(Errc::kAdapterTimeout, out.detail);
    }
    return MakeError(Errc::kAdapterProtocol, std::string(what) + ": " + out.detail);
  };
  RpcOutcome hello = client.Call("hello", Json::object(), timeout);
  if (hello.kind == RpcOutcome::Kind::kTimeout || hello.kind == RpcOutcome::Kind::kBroken) {
    return fail(hello, "hello");
  }
  if (hello.kind == RpcOutcome::Kind::kError) {
    return MakeError(Errc::kContractProbeFailed, client.name() + ": hello answered error " +
                                                     std::to_string(hello.code) + " " +
                                                     hello.message);
  }
  HelloInfo info;
  const Json& r = hello.result;
  if (!r.is_object() || !r.contains("name") || !r["name"].is_string()) {
    return MakeError(Errc::kContractProbeFailed,
                     client.name() + ": hello result lacks a string 'name': " + r.dump());
  }
  info.name = r["name"].get<std::string>();
  if (r.contains("version") && r["version"].is_string()) {
    info.version = r["version"].get<std::string>();
  }
  if (r.contains("features") && r["features"].is_array()) {
    for (const auto& f : r["features"]) {
      if (f.is_string()) {
        info.features.push_back(f.get<std::string>());
      }
    }
  }
  RpcOutcome probe = client.Call("tigress.probe.unknownMethod", Json::object(), timeout);
  if (probe.kind == RpcOutcome::Kind::kTimeout || probe.kind == RpcOutcome::Kind::kBroken) {
    return fail(probe, "contract probe");
  }
  if (probe.kind != RpcOutcome::Kind::kError || probe.code != -32601) {
    return MakeError(Errc::kContractProbeFailed,
                     client.name() +
                         ": the unknown method tigress.probe.unknownMethod must be answered with "
                         "error -32601, got " +
                         (probe.kind == RpcOutcome::Kind::kResult
                              ? "a result " + probe.result.dump().substr(0, 120)
                              : "error " + std::to_string(probe.code)));
  }
  return info;
}

}  // namespace tigress::harness
